import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FleetFactory, type FleetLike, type RunningApp, startApp } from '../../app/app.js';
import { loadConfig } from '../../app/config/load.js';
import { createLogger } from '../../app/log.js';
import { addUser, usersFile } from '../../broker/credentials.js';
import { ScaledClock } from '../../common/clock.js';
import { TEST_COST } from '../broker/auth-rig.js';
import { FakeSource, listen, waitFor } from '../broker/helpers.js';
import { ApiClient, addDashboardUser } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';

/** A fermenter at the app's boundary: it records the commands it gets. */
class FakeFermenter extends FakeSource {
  readonly boardKind = 'fake';
  readonly commands: unknown[][] = [];
  get name(): string {
    return `Fermenter ${this.id}`;
  }
  setMode(...args: unknown[]) {
    this.commands.push(['setMode', ...args]);
  }
  setBeerSetpoint(...args: unknown[]) {
    this.commands.push(['setBeerSetpoint', ...args]);
  }
  setChamberSetpoint(...args: unknown[]) {
    this.commands.push(['setChamberSetpoint', ...args]);
  }
  startProfile(...args: unknown[]) {
    this.commands.push(['startProfile', ...args]);
  }
  stopProfile() {
    this.commands.push(['stopProfile']);
  }
  clearTrip(...args: unknown[]) {
    this.commands.push(['clearTrip', ...args]);
    return [];
  }
  reportHydrometer(...args: unknown[]) {
    this.commands.push(['reportHydrometer', ...args]);
  }
  skipStep(...args: unknown[]) {
    this.commands.push(['skipStep', ...args]);
  }
  holdStep(...args: unknown[]) {
    this.commands.push(['holdStep', ...args]);
  }
  resumeStep(...args: unknown[]) {
    this.commands.push(['resumeStep', ...args]);
  }
  extendStep(...args: unknown[]) {
    this.commands.push(['extendStep', ...args]);
  }
  replaceNextSteps(...args: unknown[]) {
    this.commands.push(['replaceNextSteps', ...args]);
  }
}

/** The fleet at its boundary: it records what it is told and says what a real one would. */
class FakeFleet implements FleetLike {
  readonly fermenters = [new FakeFermenter('ale'), new FakeFermenter('lager')];
  readonly calls: string[] = [];
  start(): void {
    this.calls.push('start');
    for (const f of this.fermenters)
      f.state({ outputs: { heat: true, cool: false }, controllerState: 'heating' });
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
    for (const f of this.fermenters)
      f.state({ outputs: { heat: false, cool: false }, controllerState: 'stopped' });
  }
}

const logLines: Array<Record<string, unknown>> = [];
const log = createLogger({
  level: 'debug',
  destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
});

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cobrew-app-'));
  logLines.length = 0;
});

async function defaultConfig(overrides: { httpPort?: string } = {}) {
  const { config } = await loadConfig({
    flags: { dataDir, httpPort: '0', mqttPort: '0', wsPort: '0', speed: '60', ...overrides },
    env: {},
  });
  return config;
}

/** A viewer added the way `cobrew mqtt-user add` does, and the app's MQTT URL with its credentials. */
async function viewerUrl(mqttUrl: string): Promise<string> {
  await addUser(usersFile(dataDir), { name: 'watcher', role: 'viewer', password: 'watch it' }, TEST_COST);
  const url = new URL(mqttUrl);
  url.username = 'watcher';
  url.password = encodeURIComponent('watch it');
  return url.toString();
}

describe('application', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('wires fleet → MQTT → dashboard and stops the fleet before anything else', async () => {
    const config = await defaultConfig();
    // The status page without logging in, as on a kiosk screen.
    config.http.publicStatus = true;
    const fleet = new FakeFleet();
    let given: Parameters<FleetFactory>[0] | undefined;
    const app: RunningApp = await startApp({
      config,
      log,
      dataDir,
      bridgeId: 'test-bridge',
      createFleet: (opts) => {
        given = opts;
        return fleet;
      },
    });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await app.stop();
    });

    expect(given?.fermenters.map((f) => f.id)).toEqual(['ale', 'lager']);
    expect(given?.clock).toBeInstanceOf(ScaledClock);
    expect(given?.clock instanceof ScaledClock && given.clock.speed).toBe(60);
    expect(fleet.calls).toEqual(['start']);
    expect(app.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(app.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(app.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);

    const sub = await listen(await viewerUrl(app.mqttUrl), 'cobrew/#');
    await waitFor(
      () =>
        sub.messages.some((m) => m.topic === 'cobrew/fermenter/ale/state') &&
        sub.messages.some((m) => m.topic === 'cobrew/fermenter/lager/state'),
      'retained states of both fermenters',
    );
    const page = await eventually(async () => {
      const res = await fetch(`${app.dashboardUrl}status?lang=en`);
      const text = await res.text();
      return (text.match(/Heat on/g) ?? []).length === 2 ? text : undefined;
    }, 'both fermenters on the page');
    expect(page).toContain('Ale – cuve 1');
    expect(page).toContain('Lager – cuve 2');

    await app.stop();
    stopped = true;
    expect(fleet.calls).toEqual(['start', 'stop']);
    const order = sub.messages.map(
      (m) => `${m.topic} ${m.topic.endsWith('/state') ? JSON.parse(m.text).controllerState : m.text}`,
    );
    const safe = order.indexOf('cobrew/fermenter/ale/state stopped');
    const offline = order.indexOf('cobrew/bridge/test-bridge/availability offline');
    expect(safe).toBeGreaterThanOrEqual(0);
    expect(offline).toBeGreaterThan(safe);
    await sub.close();
  });

  it('answers set commands from a service user and announces the fermenters to Home Assistant', async () => {
    const config = await defaultConfig();
    const fleet = new FakeFleet();
    const app = await startApp({ config, log, dataDir, bridgeId: 'test-bridge', createFleet: () => fleet });
    cleanup.push(() => app.stop());
    await addUser(usersFile(dataDir), { name: 'phone', role: 'service', password: 'brew on!' }, TEST_COST);
    const url = new URL(app.mqttUrl);
    url.username = 'phone';
    url.password = encodeURIComponent('brew on!');
    const phone = await listen(url.toString(), ['cobrew/fermenter/ale/set/response', 'homeassistant/#']);
    cleanup.push(() => phone.close());

    await phone.client.publishAsync('cobrew/fermenter/ale/set', '{"beerSetpointC":19.5,"transaction":"t1"}');
    const answer = await waitFor(
      () => phone.messages.find((m) => m.topic === 'cobrew/fermenter/ale/set/response'),
      'the answer to the set command',
    );
    expect(JSON.parse(answer.text)).toEqual({ status: 'ok', transaction: 't1' });
    expect(fleet.fermenters[0]?.commands).toEqual([['setBeerSetpoint', 19.5, 'mqtt set command']]);

    const climate = await waitFor(
      () =>
        phone.messages.find((m) => m.topic.startsWith('homeassistant/climate/') && m.topic.includes('ale')),
      'the climate entity of ale',
    );
    expect(climate.retain).toBe(true);
    expect(JSON.parse(climate.text)).toMatchObject({ unique_id: expect.stringContaining('ale') });
  });

  it('stops the fleet and everything it started when a later part cannot start', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    cleanup.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as AddressInfo).port;

    const fleet = new FakeFleet();
    const config = await defaultConfig({ httpPort: String(port) });
    await expect(startApp({ config, log, dataDir, createFleet: () => fleet })).rejects.toMatchObject({
      code: 'COBREW_ERR_HTTP_PORT_IN_USE',
    });
    expect(fleet.calls).toEqual(['start', 'stop']);
  });

  it('connects the publisher and the dashboard with their own accounts, and never logs a password', async () => {
    const config = await defaultConfig();
    await addDashboardUser(dataDir, 'vera', 'viewer', 'vera secret 1');
    const app = await startApp({
      config,
      log,
      dataDir,
      bridgeId: 'test-bridge',
      createFleet: () => new FakeFleet(),
    });
    cleanup.push(() => app.stop());
    const api = new ApiClient(app.dashboardUrl);
    expect((await api.login('vera', 'vera secret 1')).status).toBe(200);
    await eventually(async () => {
      const res = await api.get<{ fermenters: Array<{ state: unknown }> }>('api/fermenters');
      return res.body.fermenters.every((f) => f.state !== null);
    }, 'states at the dashboard');

    const connected = logLines.filter((l) => l.msg === 'MQTT client connected').map((l) => [l.user, l.role]);
    expect(connected).toEqual(
      expect.arrayContaining([
        ['test-bridge', 'bridge'],
        ['dashboard', 'service'],
      ]),
    );
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'created the MQTT accounts of the bridge and the dashboard' }),
    );
    const { passwords } = JSON.parse(await readFile(join(dataDir, 'mqtt-components.json'), 'utf8')) as {
      passwords: Record<string, string>;
    };
    expect(Object.keys(passwords).sort()).toEqual(['dashboard', 'test-bridge']);
    const everything = JSON.stringify(logLines);
    for (const password of Object.values(passwords)) expect(everything).not.toContain(password);

    // Anonymous clients are refused by default.
    await expect(listen(app.mqttUrl, 'cobrew/#')).rejects.toMatchObject({ code: 5 });
  });

  it("gives the fermenter the dashboard person's name with a change, for its stored intent", async () => {
    const config = await defaultConfig();
    await addDashboardUser(dataDir, 'brune', 'brewer', 'brune secret 1');
    const fleet = new FakeFleet();
    const app = await startApp({ config, log, dataDir, bridgeId: 'test-bridge', createFleet: () => fleet });
    cleanup.push(() => app.stop());
    const api = new ApiClient(app.dashboardUrl);
    expect((await api.login('brune', 'brune secret 1')).status).toBe(200);
    const res = await api.post('api/fermenters/ale/set', { beerSetpointC: 18.5 });
    expect(res.status).toBe(200);
    expect(fleet.fermenters[0]?.commands).toEqual([['setBeerSetpoint', 18.5, 'brune via MQTT']]);
  });
});
