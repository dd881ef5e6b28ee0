// End to end: the real `cobrew start` with the real fleet, broker and dashboard, as a person would run it.

import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, waitFor } from '../broker/helpers.js';
import { ApiClient } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { cleanEnv, finished, runCobrew, simulatorStartArgs, spawnCobrew } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cobrew start', () => {
  it('runs both default fermenters on MQTT and the status page, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'data');
    // A person who wants to watch adds a user first; the broker takes no anonymous clients.
    const added = await runCobrew(
      ['mqtt-user', 'add', 'brewer', '--role', 'viewer', '--password', 'pale ale', '--data-dir', dataDir],
      cleanEnv(),
    );
    expect(added.code).toBe(0);
    // And a dashboard account, to read the API.
    const dashboardUser = await runCobrew(
      ['user', 'add', 'brewer', '--role', 'viewer', '--password', 'pale ale', '--data-dir', dataDir],
      cleanEnv(),
    );
    expect(dashboardUser.code).toBe(0);
    const child = spawnCobrew(simulatorStartArgs(dataDir), cleanEnv());
    const exit = finished(child);
    try {
      const line = await waitFor(
        () =>
          exit
            .stdout()
            .match(
              /dashboard (http:\/\/\S+) · status page \1status · MQTT (mqtt:\/\/\S+) · WebSocket (ws:\/\/\S+)/,
            ) ?? undefined,
        `the ready line (stderr so far: ${exit.stderr()})`,
        20_000,
      );
      const [, dashboardUrl = '', mqttUrl = '', wsUrl = ''] = line;
      expect((await stat(dataDir)).isDirectory()).toBe(true);
      expect(exit.stderr()).toContain('using the built-in defaults');
      for (const file of ['mqtt-users.json', 'mqtt-components.json']) {
        expect(((await stat(join(dataDir, file))).mode & 0o777).toString(8)).toBe('600');
      }

      const brewer = (base: string) => base.replace('://', '://brewer:pale%20ale@');
      const sub = await listen(brewer(mqttUrl), 'cobrew/fermenter/+/state');
      try {
        const states = await waitFor(() => {
          const ids = new Map(sub.messages.map((m) => [m.topic, JSON.parse(m.text)]));
          const ale = ids.get('cobrew/fermenter/ale/state');
          const lager = ids.get('cobrew/fermenter/lager/state');
          return ale && lager ? { ale, lager } : undefined;
        }, 'retained states of ale and lager');
        expect(sub.messages[0]?.retain).toBe(true);
        expect(states.ale).toMatchObject({
          id: 'ale',
          name: 'Ale – cuve 1',
          mode: 'beer',
          beerSetpointC: 18,
        });
        expect(states.lager).toMatchObject({ id: 'lager', name: 'Lager – cuve 2', beerSetpointC: 10 });
        expect(typeof states.ale.beerC).toBe('number');
      } finally {
        await sub.close();
      }
      const browser = await listen(brewer(wsUrl), 'cobrew/fermenter/ale/state');
      try {
        await waitFor(() => browser.messages[0], 'the ale state over WebSocket');
      } finally {
        await browser.close();
      }

      const api = new ApiClient(dashboardUrl);
      expect((await api.login('brewer', 'pale ale')).status).toBe(200);
      const page = await eventually(async () => {
        const res = await fetch(`${dashboardUrl}status?lang=fr`, {
          headers: { cookie: `cobrew_session=${api.session}` },
        });
        const text = await res.text();
        return text.includes('Pas encore de données') ? undefined : text;
      }, 'a status page with data for every fermenter');
      expect(page).toContain('Ale – cuve 1');
      expect(page).toContain('Lager – cuve 2');
      expect(page).toContain('Consigne');
      expect(page).toContain(`MQTT : broker intégré <code>${mqttUrl}</code>`);
      const list = await api.get<{ fermenters: Array<{ id: string }> }>('api/fermenters');
      expect(list.body.fermenters.map((f) => f.id)).toEqual(['ale', 'lager']);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('stopping: outputs to their safe state first');
  });

  it('refuses an MQTT port in use: code and message, no stack, non-zero exit', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    try {
      const port = (squatter.address() as AddressInfo).port;
      const result = await finished(
        spawnCobrew([
          'start',
          '--data-dir',
          join(dir, 'busy'),
          '--http-port',
          '0',
          '--mqtt-port',
          String(port),
          '--ws-port',
          '0',
        ]),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `COBREW_ERR_MQTT_PORT_IN_USE: MQTT port ${port} on 127.0.0.1 is already in use`,
      );
      expect(result.stderr).toContain('--mqtt-port <n>');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});
