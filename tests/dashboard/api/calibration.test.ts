// Hydrometer calibration through the real application's API, with real sessions and CSRF tokens: anyone
// logged in sees it, brewers and admins fit, save and remove; a saved calibration feeds the gravity pipeline
// (an iSpindel's post is converted with it) and survives a restart, in place of cobrew.yaml's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../../app/app.js';
import { loadConfig } from '../../../app/config/load.js';
import { createLogger } from '../../../app/log.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';
import { ApiClient, TEST_PASSWORD_COST } from '../../helpers/api-client.js';
import { PEOPLE, type Rig, startRig } from './rig.js';

const YAML = [
  'ispindels: [{ name: blue, fermenter: ale, unit: sg }]',
  'tilts: [{ colour: red, fermenter: lager, gravityOffset: -0.002 }]',
].join('\n');

/** Points of a straight iSpindel: SG = 0.9 + 0.004 × angle, give or take a little. */
const POINTS = [
  { angle: 25, gravity: 1.0 },
  { angle: 40, gravity: 1.061 },
  { angle: 55, gravity: 1.12 },
  { angle: 32, gravity: 1.028 },
];

interface Entry {
  name: string;
  source: string;
  calibration?: { points: typeof POINTS; degree: number };
  fit?: { polynomial: number[]; residuals: number[] };
  setBy?: string;
}
interface Hydrometers {
  ispindels: Entry[];
  tilts: Array<{ colour: string; gravityOffset: number; source: string; setBy?: string }>;
}

const at = (poly: number[], x: number) => poly.reduceRight((acc, c) => acc * x + c, 0);

describe('hydrometer calibration API', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ yaml: YAML });
  }, 60_000);
  afterAll(async () => {
    await rig?.stop();
  });

  it('shows each hydrometer with the calibration of cobrew.yaml to anyone logged in, and nobody else', async () => {
    expect((await rig.client().get('api/hydrometers')).status).toBe(401);
    const vera = await rig.as('viewer');
    const h = await vera.get<Hydrometers>('api/hydrometers');
    expect(h.status).toBe(200);
    expect(h.body.ispindels).toEqual([{ name: 'blue', fermenter: 'ale', unit: 'sg', source: 'config' }]);
    expect(h.body.tilts).toEqual([
      { colour: 'red', fermenter: 'lager', gravityOffset: -0.002, source: 'config' },
    ]);
  });

  it('lets brewers and admins change it, not members or viewers, and only with the CSRF token', async () => {
    const body = { points: POINTS, degree: 1 };
    for (const person of ['viewer', 'member'] as const) {
      const c = await rig.as(person);
      const r = await c.request<{ code: string }>('PUT', 'api/hydrometers/ispindels/blue/calibration', body);
      expect([r.status, r.body.code], person).toEqual([403, 'COBREW_ERR_FORBIDDEN']);
    }
    const brice = await rig.as('brewer');
    const token = brice.csrfToken;
    brice.csrfToken = null;
    const noCsrf = await brice.request('PUT', 'api/hydrometers/ispindels/blue/calibration', body);
    expect(noCsrf.status).toBe(403);
    brice.csrfToken = token;
    const unknown = await brice.request<{ code: string }>(
      'PUT',
      'api/hydrometers/ispindels/green/calibration',
      body,
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'COBREW_ERR_ISPINDEL_UNMAPPED']);
  });

  it('fits a polynomial of degree 1 to 3 with its residuals, and says why points do not fit', async () => {
    const brice = await rig.as('brewer');
    for (const degree of [1, 2, 3]) {
      const r = await brice.post<{ polynomial: number[]; residuals: number[] }>(
        'api/hydrometers/ispindels/blue/fit',
        { points: POINTS, degree },
      );
      expect(r.status).toBe(200);
      expect(r.body.polynomial).toHaveLength(degree + 1);
      // Each residual is the fitted value less the measured one; a line leaves some, a cubic fewer.
      r.body.residuals.forEach((res, i) => {
        const p = POINTS[i] as (typeof POINTS)[number];
        expect(res).toBeCloseTo(at(r.body.polynomial, p.angle) - p.gravity, 12);
      });
      expect(Math.max(...r.body.residuals.map(Math.abs))).toBeLessThan(0.005);
    }
    const few = await brice.post<{ code: string; message: string }>('api/hydrometers/ispindels/blue/fit', {
      points: POINTS.slice(0, 3),
      degree: 3,
    });
    expect([few.status, few.body.code]).toEqual([400, 'COBREW_ERR_CALIBRATION_INVALID']);
    expect(few.body.message).toContain('a degree 3 polynomial needs at least 4 points');
    const same = await brice.post<{ code: string }>('api/hydrometers/ispindels/blue/fit', {
      points: [
        { angle: 30, gravity: 1.01 },
        { angle: 30, gravity: 1.02 },
      ],
      degree: 1,
    });
    expect([same.status, same.body.code]).toEqual([400, 'COBREW_ERR_CALIBRATION_INVALID']);
    const wild = await brice.post<{ code: string }>('api/hydrometers/ispindels/blue/fit', {
      points: [
        { angle: 30, gravity: 1.01 },
        { angle: 95, gravity: 1.02 },
      ],
      degree: 1,
    });
    expect([wild.status, wild.body.code]).toEqual([400, 'COBREW_ERR_INVALID']);
  });

  it('saves it, converts the next reading with it, and keeps it across a restart', async () => {
    const brice = await rig.as('brewer');
    const saved = await brice.request<Entry>('PUT', 'api/hydrometers/ispindels/blue/calibration', {
      points: POINTS,
      degree: 2,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ source: 'dashboard', setBy: PEOPLE.brewer.name });
    const poly = saved.body.fit?.polynomial as number[];
    // The gravity field is ignored once calibrated: the angle decides.
    const post = await brice.post<{ gravity: number }>('api/ispindel', {
      name: 'blue',
      ID: 1234567,
      angle: 45,
      temperature: 18,
      gravity: 1.01,
    });
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    expect(post.body.gravity).toBeCloseTo(at(poly, 45), 9);

    const tilt = await brice.request('PUT', 'api/hydrometers/tilts/red/offset', { gravityOffset: 0.003 });
    expect(tilt.status).toBe(200);
    const reading = { color: 'Red', temp: 64, tempUnit: 'F', gravity: 1.05 };
    expect((await brice.post<{ gravity: number }>('api/tilt', reading)).body.gravity).toBeCloseTo(1.053, 9);

    // A new process on the same data directory, same cobrew.yaml.
    await rig.app.stop();
    const { config } = await loadConfig({
      flags: { dataDir: rig.dataDir, httpPort: '0', mqttPort: '0', wsPort: '0', speed: '60' },
      env: {},
    });
    const app = await startApp({
      config,
      log: createLogger({ level: 'silent' }),
      dataDir: rig.dataDir,
      bridgeId: 'api-test',
      createFleet: (f) => createFleet(f),
      passwordCost: TEST_PASSWORD_COST,
    });
    try {
      const c = new ApiClient(app.dashboardUrl);
      await c.login(PEOPLE.brewer.name, PEOPLE.brewer.password);
      const h = await c.get<Hydrometers>('api/hydrometers');
      expect(h.body.ispindels[0]).toMatchObject({
        source: 'dashboard',
        calibration: { points: POINTS, degree: 2 },
      });
      expect(h.body.tilts[0]).toMatchObject({ gravityOffset: 0.003, source: 'dashboard' });
      const again = await c.post<{ gravity: number }>('api/ispindel', {
        name: 'blue',
        ID: 1234567,
        angle: 45,
        gravity: 1.01,
      });
      expect(again.body.gravity).toBeCloseTo(at(poly, 45), 9);

      // Removed: cobrew.yaml's applies again (unit sg, the gravity field).
      const removed = await c.request<Entry>('DELETE', 'api/hydrometers/ispindels/blue/calibration');
      expect(removed.body).toEqual({ name: 'blue', fermenter: 'ale', unit: 'sg', source: 'config' });
      const plain = await c.post<{ gravity: number }>('api/ispindel', {
        name: 'blue',
        ID: 1234567,
        angle: 45,
        gravity: 1.05,
      });
      expect(plain.body.gravity).toBe(1.05);
      expect((await c.post<{ gravity: number }>('api/tilt', reading)).body.gravity).toBeCloseTo(1.053, 9);
      const back = await c.request<{ gravityOffset: number }>('DELETE', 'api/hydrometers/tilts/red/offset');
      expect(back.body.gravityOffset).toBe(-0.002);
      expect((await c.post<{ gravity: number }>('api/tilt', reading)).body.gravity).toBeCloseTo(1.048, 9);
    } finally {
      await app.stop();
    }
  });
});
