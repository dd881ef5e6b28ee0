// Retained state survives a broker restart, for both brokers: a Mosquitto restarted without persistence
// (cobrew reconnects and publishes everything again), and the embedded broker, which restarts with cobrew.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, usersFile } from '../../broker/credentials.js';
import { cleanEnv, type Finished, finished, spawnCobrew } from '../app/cli-helpers.js';
import { ApiClient, addDashboardUser } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import {
  documentedAcl,
  externalConfig,
  freePort,
  MOSQUITTO_USERS,
  type Mosquitto,
  startMosquitto,
} from '../helpers/mosquitto.js';
import { TEST_COST } from './auth-rig.js';
import { listen, type Received, waitFor } from './helpers.js';

type Running = ReturnType<typeof spawnCobrew> & { exit: Promise<Finished> & { stdout(): string } };

function start(args: string[]): Running {
  const child = spawnCobrew(['start', ...args], cleanEnv());
  return Object.assign(child, { exit: finished(child) });
}

async function ready(c: Running): Promise<string> {
  const m = await waitFor(
    () => c.exit.stdout().match(/dashboard (http:\/\/\S+)/) ?? undefined,
    `the ready line (stdout: ${c.exit.stdout()})`,
    20_000,
  );
  return m[1] as string;
}

async function stop(c: Running): Promise<Finished> {
  if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  return c.exit;
}

/** The retained messages a new subscriber is given at once, as topic → payload. */
async function retainedFor(url: string, filter: string[]): Promise<Map<string, string>> {
  const sub = await listen(url, filter);
  try {
    await new Promise((r) => setTimeout(r, 300));
    return new Map(sub.messages.filter((m: Received) => m.retain).map((m) => [m.topic, m.text]));
  } finally {
    await sub.close();
  }
}

const FILTERS = ['cobrew/fermenter/+/state', 'cobrew/bridge/+/availability'];

function hasEverything(retained: Map<string, string>): boolean {
  const bridges = [...retained].filter(([t]) => t.startsWith('cobrew/bridge/'));
  return (
    retained.has('cobrew/fermenter/ale/state') &&
    retained.has('cobrew/fermenter/lager/state') &&
    bridges.length === 1 &&
    bridges[0]?.[1] === 'online'
  );
}

describe('retained state after a broker restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cobrew-restart-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Mosquitto restarted without persistence: cobrew reconnects and retains its state again', async () => {
    const mosquitto: Mosquitto = await startMosquitto({
      users: Object.values(MOSQUITTO_USERS),
      acl: await documentedAcl(),
    });
    const dataDir = join(dir, 'external');
    let cobrew: Running | undefined;
    try {
      await writeConfig(dataDir, externalConfig(mosquitto));
      await addDashboardUser(dataDir, 'vera', 'viewer', 'vera secret 1');
      cobrew = start(['--data-dir', dataDir]);
      const dashboardUrl = await ready(cobrew);
      const api = new ApiClient(dashboardUrl);
      expect((await api.login('vera', 'vera secret 1')).status).toBe(200);
      const watcher = mosquitto.urlFor(MOSQUITTO_USERS.watcher);
      await eventually(async () => hasEverything(await retainedFor(watcher, FILTERS)), 'retained state');

      await mosquitto.kill();
      await mosquitto.start();
      // Nothing survived in the broker itself; cobrew has to bring it all back on reconnecting.
      const after = await eventually(
        async () => {
          const retained = await retainedFor(watcher, FILTERS);
          return hasEverything(retained) ? retained : undefined;
        },
        'retained state after the restart',
        15_000,
      );
      expect(JSON.parse(after.get('cobrew/fermenter/ale/state') ?? '{}')).toMatchObject({ id: 'ale' });

      // Its other clients are back too: commands are answered, the dashboard hears states again.
      const ha = await listen(mosquitto.urlFor(MOSQUITTO_USERS.homeassistant), [
        'cobrew/fermenter/lager/set/response',
        'homeassistant/climate/+/climate/config',
      ]);
      try {
        await waitFor(() => ha.messages.filter((m) => m.retain).length === 2, 'discovery announced again');
        await ha.client.publishAsync(
          'cobrew/fermenter/lager/set',
          '{"beerSetpointC": 9, "transaction": "r"}',
          {
            qos: 1,
          },
        );
        const response = await waitFor(
          () => ha.messages.find((m) => m.topic.endsWith('/set/response')),
          'the set response after the restart',
        );
        expect(JSON.parse(response.text)).toEqual({ status: 'ok', transaction: 'r' });
      } finally {
        await ha.close();
      }
      await eventually(async () => {
        const { body } = await api.get<{
          fermenters: Array<{ id: string; state: { beerSetpointC: number } }>;
        }>('api/fermenters');
        return body.fermenters.find((f) => f.id === 'lager')?.state.beerSetpointC === 9;
      }, 'the dashboard showing the state after the restart');
      expect((await fetch(`${dashboardUrl}healthz`)).status).toBe(200);
    } finally {
      if (cobrew) expect((await stop(cobrew)).code).toBe(0);
      await mosquitto.close();
    }
  });

  it('embedded broker: a stopped and restarted cobrew retains its state again', async () => {
    const dataDir = join(dir, 'embedded');
    const viewer = { name: 'watcher', password: 'just looking' };
    await addUser(usersFile(dataDir), { ...viewer, role: 'viewer' }, TEST_COST);
    const port = await freePort();
    const args = ['--data-dir', dataDir, '--http-port', '0', '--mqtt-port', String(port), '--ws-port', '0'];
    const url = `mqtt://watcher:${encodeURIComponent(viewer.password)}@127.0.0.1:${port}`;

    const first = start([...args, '--speed', '60']);
    try {
      await ready(first);
      await eventually(async () => hasEverything(await retainedFor(url, FILTERS)), 'retained state');
    } finally {
      expect((await stop(first)).code).toBe(0);
    }

    const second = start([...args, '--speed', '60']);
    try {
      await ready(second);
      const retained = await eventually(async () => {
        const r = await retainedFor(url, FILTERS);
        return hasEverything(r) ? r : undefined;
      }, 'retained state after the restart');
      expect(JSON.parse(retained.get('cobrew/fermenter/lager/state') ?? '{}')).toMatchObject({ id: 'lager' });
    } finally {
      expect((await stop(second)).code).toBe(0);
    }
  });
});

async function writeConfig(dataDir: string, text: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'cobrew.yaml'), text);
}
