// iSpindels wired into a running cobrew (embedded broker, real simulated fleet): values published with
// mosquitto_pub by `ispindel` users and JSON posted over HTTP reach the mapped fermenter's state; malformed
// values and unmapped names are refused with a logged reason and change nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../app/app.js';
import { loadConfig } from '../../app/config/load.js';
import { createLogger } from '../../app/log.js';
import { addUser, usersFile } from '../../broker/credentials.js';
import { toSpecificGravity } from '../../broker/ispindel-gravity.js';
import { createFleet } from '../../firmware-bridge/fleet.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { ApiClient, addDashboardUser } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { mosquittoPub } from '../helpers/mosquitto.js';
import { TEST_COST } from './auth-rig.js';
import { waitFor } from './helpers.js';

const logLines: Array<Record<string, unknown>> = [];
const log = createLogger({
  level: 'info',
  destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
});

const BLUE = { name: 'blue', password: 'floats in ale' };
const RED = { name: 'red', password: 'floats nowhere' };

/** iSpindel's "HTTP" service body, as its firmware sends it. */
const GREEN_TOKEN = 'green-token-42';
const post = (patch: Record<string, unknown>) => ({
  name: 'green',
  ID: 1234567,
  token: GREEN_TOKEN,
  angle: 52.3,
  temperature: 19.6,
  temp_units: 'C',
  battery: 3.87,
  gravity: 12,
  interval: 900,
  RSSI: -67,
  ...patch,
});

describe('iSpindels in a running cobrew', () => {
  let dir: string;
  let app: RunningApp;
  let api: ApiClient;
  /** A brewer's session: an HTTP reading needs one, or the iSpindel's token. */
  let brewer: ApiClient;
  let mqttPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cobrew-ispindel-'));
    await writeFile(
      join(dir, 'cobrew.yaml'),
      [
        'http: { port: 0 }',
        'mqtt: { port: 0, wsPort: 0, statePeriodMs: 100 }',
        'homeAssistant: { enabled: false }',
        'sim: { speed: 10 }',
        'ispindels:',
        '  - { name: blue, fermenter: ale, unit: sg }',
        `  - { name: green, fermenter: lager, unit: plato, token: ${GREEN_TOKEN} }`,
        'tilts: [{ colour: purple, fermenter: ale, gravityOffset: -0.002, token: tilt-secret-1 }]',
      ].join('\n'),
    );
    const { config } = await loadConfig({ flags: { dataDir: dir }, env: {} });
    // What `cobrew mqtt-user add <name> --role ispindel` does.
    for (const u of [BLUE, RED]) await addUser(usersFile(dir), { ...u, role: 'ispindel' }, TEST_COST);
    await addDashboardUser(dir, 'vera', 'viewer', 'vera secret 1');
    await addDashboardUser(dir, 'brice', 'brewer', 'brice secret 1');
    app = await startApp({ config, log, dataDir: dir, bridgeId: 'test-bridge', createFleet });
    api = new ApiClient(app.dashboardUrl);
    await api.login('vera', 'vera secret 1');
    brewer = new ApiClient(app.dashboardUrl);
    await brewer.login('brice', 'brice secret 1');
    mqttPort = Number(new URL(app.mqttUrl).port);
  });
  afterAll(async () => {
    await app?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const stateOf = async (id: string): Promise<FermenterState | null> => {
    const { body } = await api.get<{ fermenters: Array<{ id: string; state: FermenterState | null }> }>(
      'api/fermenters',
    );
    return body.fermenters.find((f) => f.id === id)?.state ?? null;
  };
  /** A state produced after `at`, so that it shows whatever happened before. */
  const stateAfter = (id: string, at: number) =>
    eventually(async () => {
      const s = await stateOf(id);
      return s !== null && s.at > at ? s : undefined;
    }, `a new ${id} state`);
  const asBrewer = () => ({
    cookie: `cobrew_session=${brewer.session}`,
    'x-csrf-token': `${brewer.csrfToken}`,
  });
  const postIspindel = (body: unknown) =>
    fetch(`${app.dashboardUrl}api/ispindel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asBrewer() },
      body: JSON.stringify(body),
    });
  const pub = (user: typeof BLUE, key: string, value: string) =>
    mosquittoPub(mqttPort, user, `ispindel/${user.name}/${key}`, value);

  it("puts an iSpindel's MQTT gravity and battery into its fermenter's state", async () => {
    for (const [key, value] of [
      ['tilt', '55.2'],
      ['temperature', '19.4'],
      ['temp_units', 'C'],
      ['battery', '3.91'],
      ['gravity', '1.048'],
    ] as const) {
      await pub(BLUE, key, value);
    }
    const ale = await eventually(async () => {
      const s = await stateOf('ale');
      return s?.gravity === 1.048 ? s : undefined;
    }, 'the gravity in the ale state');
    expect(ale.hydrometerBatteryV).toBe(3.91);
    expect((await stateOf('lager'))?.gravity).toBeNull();
  });

  it('refuses a malformed MQTT value with a logged reason and keeps the previous gravity', async () => {
    const before = (await stateOf('ale'))?.at ?? 0;
    await pub(BLUE, 'gravity', 'abc');
    await pub(BLUE, 'gravity', '');
    await pub(BLUE, 'battery', '0');
    const refused = await waitFor(() => {
      const lines = logLines.filter((l) => l.msg === 'refused an iSpindel value');
      return lines.length === 3 ? lines : undefined;
    }, 'three refusals in the log');
    expect(refused.map((l) => l.reason)).toEqual([
      'iSpindel "blue" sent gravity = "abc": not a number. Check its formula and firmware settings.',
      'iSpindel "blue" sent gravity = "": not a number. Check its formula and firmware settings.',
      'iSpindel "blue" sent battery = 0: outside 2.5…5 V. Check its formula and firmware settings.',
    ]);
    const after = await stateAfter('ale', before);
    expect(after.gravity).toBe(1.048);
    expect(after.hydrometerBatteryV).toBe(3.91);
  });

  it('ignores an unmapped iSpindel, logging it once', async () => {
    await pub(RED, 'gravity', '1.05');
    await pub(RED, 'gravity', '1.049');
    // The listener takes messages in order: once blue's next value is in, red's two have been handled.
    await pub(BLUE, 'gravity', '1.047');
    await eventually(async () => (await stateOf('ale'))?.gravity === 1.047, 'the next ale gravity');
    const unmapped = logLines.filter((l) => l.ispindel === 'red');
    expect(unmapped).toHaveLength(1);
    expect(unmapped[0]).toMatchObject({ level: 40, via: 'mqtt' });
    expect(unmapped[0]?.msg).toContain('Add it under `ispindels:` in cobrew.yaml');
    expect((await stateOf('lager'))?.gravity).toBeNull();
  });

  it("takes an iSpindel's HTTP post into its fermenter's state", async () => {
    const res = await postIspindel(post({}));
    expect(res.status).toBe(200);
    const plato12 = toSpecificGravity('green', 12, 'plato');
    expect(await res.json()).toEqual({ status: 'ok', fermenter: 'lager', gravity: plato12 });
    const lager = await eventually(async () => {
      const s = await stateOf('lager');
      return s?.gravity === plato12 ? s : undefined;
    }, 'the gravity in the lager state');
    expect(plato12).toBeCloseTo(1.0484, 4);
    expect(lager?.hydrometerBatteryV).toBe(3.87);
  });

  it("refuses a post without the iSpindel's token with 403, comparing in constant time", async () => {
    for (const token of ['', 'green-token-43', undefined]) {
      const res = await postIspindel(post({ token }));
      expect(res.status, String(token)).toBe(403);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('COBREW_ERR_ISPINDEL_TOKEN');
      expect(body.message).toContain("Enter the same token in the iSpindel's portal");
    }
  });

  it('refuses the gravity 0 of a failed formula, and drops a bad side value alone', async () => {
    const zero = await postIspindel(post({ gravity: 0 }));
    expect(zero.status).toBe(400);
    expect(((await zero.json()) as { message: string }).message).toContain('sends 0 when its formula fails');
    const res = await postIspindel(post({ gravity: 11, battery: 5.1, RSSI: 31, temperature: -127 }));
    expect(res.status).toBe(200);
    const sg = toSpecificGravity('green', 11, 'plato');
    expect(await res.json()).toEqual({ status: 'ok', fermenter: 'lager', gravity: sg });
    await eventually(
      async () => ((await stateOf('lager'))?.gravity === sg ? true : undefined),
      'gravity 11 °P',
    );
    const dropped = logLines.filter((l) => l.ispindel === 'green' && /left out$/.test(String(l.msg)));
    expect(dropped.map((l) => l.msg)).toEqual([
      'iSpindel "green": temperatureC -127 is outside -20…60 °C; left out',
      'iSpindel "green": battery 5.1 is outside 2.5…5 V; left out',
      'iSpindel "green": rssi 31 is outside -130…0 dBm; left out',
    ]);
  });

  it('answers a malformed post with 400 naming the problem, and keeps the previous gravity', async () => {
    const previous = (await stateOf('lager'))?.gravity;
    const before = (await stateOf('lager'))?.at ?? 0;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ gravity: 'abc' }, 'gravity: "abc" is not allowed'],
      [{ battery: 'full' }, 'battery: "full" is not allowed'],
      [{ gravity: 300 }, 'iSpindel "green" sent gravity = 300: outside -2…40 °P'],
      [{ name: undefined }, 'name: missing; it is required'],
    ];
    const logged = logLines.length;
    for (const [patch, problem] of cases) {
      const res = await postIspindel(post(patch));
      expect(res.status, JSON.stringify(patch)).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.message).toContain(problem);
      expect(body.code).toMatch(/^COBREW_ERR_(INVALID|ISPINDEL_VALUE)$/);
    }
    expect(logLines.slice(logged).filter((l) => l.msg === 'refused an iSpindel post')).toHaveLength(
      cases.length,
    );
    const notJson = await fetch(`${app.dashboardUrl}api/ispindel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asBrewer() },
      body: '{"name": "green", "gravity": ',
    });
    expect(notJson.status).toBe(400);
    const after = await stateAfter('lager', before);
    expect(after.gravity).toBe(previous);
  });

  it('answers a post from an unmapped iSpindel with 404 naming the fix', async () => {
    const res = await postIspindel(post({ name: 'violet' }));
    expect(res.status).toBe(404);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('COBREW_ERR_ISPINDEL_UNMAPPED');
    expect(body.message).toContain('iSpindel "violet" is not mapped to a fermenter');
    expect(body.message).toContain('Add it under `ispindels:` in cobrew.yaml');
    await postIspindel(post({ name: 'violet' }));
    expect(logLines.filter((l) => l.ispindel === 'violet' && l.via === 'http')).toHaveLength(1);
  });

  it("takes a TiltBridge's post of a mapped Tilt into its fermenter's state, calibrated", async () => {
    const tilt = (body: Record<string, unknown>, token = 'tilt-secret-1') =>
      fetch(`${app.dashboardUrl}api/tilt?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // TiltBridge's per-Tilt JSON, as it publishes and posts it.
    const body = {
      color: 'Purple',
      temp: '66.2',
      tempUnit: 'F',
      gravity: '1.0380',
      gsheets_name: '',
      weeks_on_battery: 0,
      sends_battery: false,
      high_resolution: false,
      fwVersion: 1001,
      rssi: -71,
    };
    // A reading can end a profile step: without its token, a post from the LAN is refused.
    const stranger = await tilt(body, 'wrong-token');
    expect(stranger.status).toBe(401);
    expect(((await stranger.json()) as { code: string }).code).toBe('COBREW_ERR_TILT_AUTH');
    const res = await tilt(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', fermenter: 'ale', gravity: 1.036 });
    await eventually(
      async () => ((await stateOf('ale'))?.gravity === 1.036 ? true : undefined),
      'the Tilt gravity',
    );
    const unmapped = await tilt({ ...body, color: 'Red' });
    expect(unmapped.status).toBe(404);
    expect(((await unmapped.json()) as { code: string }).code).toBe('COBREW_ERR_TILT_UNMAPPED');
    expect((await tilt({ ...body, gravity: 'high' })).status).toBe(400);
  });
});
