// External broker mode against a real Mosquitto with a password file and the ACL of docs/mqtt.md: the real
// `cobrew start` starts no broker of its own, and its bridge, set handler, Home Assistant discovery,
// dashboard and iSpindel listener all work through Mosquitto. Then the bridge is killed with SIGKILL and
// Mosquitto publishes its last will.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, type Finished, finished, spawnCobrew } from '../app/cli-helpers.js';
import { ApiClient, addDashboardUser } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import {
  documentedAcl,
  externalConfig,
  freePort,
  MOSQUITTO_USERS,
  type Mosquitto,
  mosquittoPub,
  startMosquitto,
} from '../helpers/mosquitto.js';
import { listen, waitFor } from './helpers.js';

const READY =
  /dashboard (http:\/\/\S+) · status page \S+ · MQTT (mqtt:\/\/\S+) \(external broker, user cobrew; no embedded broker\) .*bridge (\S+);/;

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('cobrew start with an external Mosquitto (mqtt.url)', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let child: ReturnType<typeof spawnCobrew>;
  let exit: Promise<Finished> & { stdout(): string; stderr(): string };
  let dashboardUrl: string;
  let api: ApiClient;
  let bridgeId: string;
  let unusedPorts: number[];
  const { homeassistant, watcher, blue } = MOSQUITTO_USERS;

  beforeAll(async () => {
    mosquitto = await startMosquitto({ users: Object.values(MOSQUITTO_USERS), acl: await documentedAcl() });
    dir = await mkdtemp(join(tmpdir(), 'cobrew-external-'));
    await writeFile(join(dir, 'cobrew.yaml'), externalConfig(mosquitto));
    await addDashboardUser(dir, 'vera', 'viewer', 'vera secret 1');
    // Given on purpose: with mqtt.url nothing may listen on them.
    unusedPorts = [await freePort(), await freePort()];
    child = spawnCobrew(
      [
        'start',
        '--data-dir',
        dir,
        '--mqtt-port',
        String(unusedPorts[0]),
        '--ws-port',
        String(unusedPorts[1]),
      ],
      cleanEnv(),
    );
    exit = finished(child);
    const line = await waitFor(
      () => exit.stdout().match(READY) ?? undefined,
      `the ready line (stdout: ${exit.stdout()} stderr: ${exit.stderr()})`,
      20_000,
    );
    dashboardUrl = line[1] as string;
    api = new ApiClient(dashboardUrl);
    expect((await api.login('vera', 'vera secret 1')).status).toBe(200);
    expect(line[2]).toBe(mosquitto.url);
    bridgeId = line[3] as string;
  });
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exit;
    await mosquitto.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts no broker and says it uses Mosquitto', async () => {
    expect(exit.stderr()).toContain(
      'using the external MQTT broker of mqtt.url; no embedded broker is started',
    );
    expect(exit.stderr()).not.toContain('embedded MQTT broker listening');
    expect(exit.stdout()).not.toContain('WebSocket');
    for (const port of unusedPorts) expect(await listening(port), `port ${port}`).toBe(false);
    // Nothing but the password file holds the password, and nothing creates embedded-broker accounts.
    expect(`${exit.stdout()}${exit.stderr()}`).not.toContain(MOSQUITTO_USERS.cobrew.password);
    expect(exit.stderr()).not.toContain('created the MQTT accounts');
  });

  it('publishes retained states of both fermenters through Mosquitto', async () => {
    const sub = await listen(mosquitto.urlFor(watcher), 'cobrew/fermenter/+/state');
    try {
      const states = await waitFor(() => {
        const latest = new Map(sub.messages.map((m) => [m.topic, m]));
        const ale = latest.get('cobrew/fermenter/ale/state');
        const lager = latest.get('cobrew/fermenter/lager/state');
        return ale && lager ? { ale, lager } : undefined;
      }, 'states of ale and lager');
      expect(sub.messages[0]?.retain).toBe(true);
      expect(JSON.parse(states.ale.text)).toMatchObject({
        id: 'ale',
        name: 'Ale – cuve 1',
        beerSetpointC: 18,
      });
      expect(JSON.parse(states.lager.text)).toMatchObject({ id: 'lager', beerSetpointC: 10 });
    } finally {
      await sub.close();
    }
  });

  it("announces Home Assistant discovery and answers Home Assistant's set", async () => {
    const ha = await listen(mosquitto.urlFor(homeassistant), [
      'homeassistant/#',
      'cobrew/fermenter/ale/set/response',
      'cobrew/fermenter/ale/state',
    ]);
    try {
      // Retained messages come in the broker's topic order (climate before sensor), over several reads:
      // wait for every config the test reads, not only the first ones.
      const wanted = [
        'homeassistant/climate/cobrew_ale/climate/config',
        'homeassistant/climate/cobrew_lager/climate/config',
        'homeassistant/sensor/cobrew_ale/gravity/config',
      ];
      const configs = await waitFor(() => {
        const topics = new Set(ha.messages.filter((m) => m.retain).map((m) => m.topic));
        return wanted.every((t) => topics.has(t)) ? topics : undefined;
      }, 'retained climate configs of ale and lager, and the ale gravity sensor');
      for (const topic of wanted) expect(configs).toContain(topic);
      const climate = ha.messages.find((m) => m.topic === 'homeassistant/climate/cobrew_ale/climate/config');
      expect(JSON.parse(climate?.text ?? '{}')).toMatchObject({ unique_id: 'cobrew_ale_climate' });

      await ha.client.publishAsync(
        'cobrew/fermenter/ale/set',
        JSON.stringify({ beerSetpointC: 16.5, transaction: 'ha-1' }),
        { qos: 1 },
      );
      const response = await waitFor(
        () => ha.messages.find((m) => m.topic === 'cobrew/fermenter/ale/set/response'),
        'the set response',
      );
      expect(JSON.parse(response.text)).toEqual({ status: 'ok', transaction: 'ha-1' });
      await waitFor(
        () =>
          ha.messages.some(
            (m) => m.topic === 'cobrew/fermenter/ale/state' && JSON.parse(m.text).beerSetpointC === 16.5,
          ),
        'the new setpoint in the ale state',
      );
    } finally {
      await ha.close();
    }
  });

  it('shows the states and the external broker on the status page', async () => {
    const page = await eventually(async () => {
      const text = await (await fetch(`${dashboardUrl}status?lang=en`)).text();
      return text.includes('No data yet') ? undefined : text;
    }, 'a status page with data for every fermenter');
    expect(page).toContain('Ale – cuve 1');
    expect(page).toContain('Lager – cuve 2');
    expect(page).toContain(`MQTT: external broker <code>${mosquitto.url}</code>`);
    expect(page).not.toContain(MOSQUITTO_USERS.cobrew.password);
    const health = await fetch(`${dashboardUrl}healthz`);
    expect(await health.json()).toEqual({ status: 'ok', mqtt: 'connected' });
  });

  it("takes an iSpindel's MQTT values from Mosquitto into its fermenter's state", async () => {
    await mosquittoPub(mosquitto.port, blue, 'ispindel/blue/battery', '3.95');
    await mosquittoPub(mosquitto.port, blue, 'ispindel/blue/gravity', '1.052');
    const ale = await eventually(async () => {
      const { body } = await api.get<{
        fermenters: Array<{
          id: string;
          state: { gravity: number | null; hydrometerBatteryV: number | null };
        }>;
      }>('api/fermenters');
      const state = body.fermenters.find((f) => f.id === 'ale')?.state;
      return state?.gravity === 1.052 ? state : undefined;
    }, 'the gravity in the ale state');
    expect(ale.hydrometerBatteryV).toBe(3.95);
  });

  it('stops with a typed error naming the broker when Mosquitto refuses the login', async () => {
    const other = join(dir, 'wrong-password');
    await mkdir(other);
    const config = externalConfig(mosquitto).replace(MOSQUITTO_USERS.cobrew.password, 'not the password');
    await writeFile(join(other, 'cobrew.yaml'), config);
    const result = await finished(spawnCobrew(['start', '--data-dir', other], cleanEnv()));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `COBREW_ERR_MQTT_BROKER_UNREACHABLE: Cannot use the MQTT broker at ${mosquitto.url} (Connection refused: Not authorized)`,
    );
    expect(result.stderr).toContain('Check mqtt.url, mqtt.username and mqtt.password in cobrew.yaml');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('has Mosquitto publish the last will `offline` when the bridge is killed with SIGKILL', async () => {
    const topic = `cobrew/bridge/${bridgeId}/availability`;
    const sub = await listen(mosquitto.urlFor(watcher), topic);
    try {
      await waitFor(() => sub.messages.find((m) => m.text === 'online'), 'the bridge online');
      child.kill('SIGKILL');
      const result = await exit;
      expect(result.signal).toBe('SIGKILL');
      const offline = await waitFor(() => sub.messages.find((m) => m.text === 'offline'), 'the last will');
      expect(offline.topic).toBe(topic);
    } finally {
      await sub.close();
    }
    // Retained: someone arriving later learns it at once.
    const later = await listen(mosquitto.urlFor(watcher), topic);
    try {
      const m = await waitFor(() => later.messages[0], 'the retained availability');
      expect(m).toMatchObject({ text: 'offline', retain: true });
    } finally {
      await later.close();
    }
  });
});
