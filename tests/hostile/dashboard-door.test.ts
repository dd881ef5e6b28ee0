// Findings 3, 7 and 20 at the dashboard's door, and the Host check (DNS rebinding) on every route: the real
// application, with one account of each role.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicsFor } from '../../broker/topics.js';
import { renderFermenterList } from '../../dashboard/pages/status.js';
import { StateStore } from '../../dashboard/state-store.js';
import { ProfileRunner } from '../../firmware-bridge/control/profile-runner.js';
import { sampleState } from '../broker/helpers.js';
import { type Rig, startRig } from '../dashboard/api/rig.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
/** fetch may not set Host: a plain request can, as a rebinding browser's does. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const YAML = 'ispindels:\n  - { name: green, fermenter: ale, unit: sg }\n';

/** iSpindel's "HTTP" service body, as its firmware sends it. */
const reading = (gravity: number) => ({
  name: 'green',
  ID: 1234567,
  token: '',
  angle: 25,
  temperature: 19.6,
  temp_units: 'C',
  battery: 3.87,
  gravity,
});

describe('the dashboard door', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ yaml: YAML });
  });
  afterAll(async () => rig?.stop());

  it('refuses an iSpindel reading without its token or a brewer session (finding 3)', async () => {
    const anonymous = await rig.client().post('api/ispindel', reading(1.0));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'COBREW_ERR_ISPINDEL_AUTH' });
    // A viewer's session moves nothing either, nor a brewer's without its CSRF token.
    expect((await (await rig.as('viewer')).post('api/ispindel', reading(1.0))).status).toBe(401);
    const brewer = await rig.as('brewer');
    const noCsrf = await brewer.request('POST', 'api/ispindel', reading(1.0), { 'x-csrf-token': 'x' });
    expect(noCsrf.status).toBe(401);
    expect((await brewer.post('api/ispindel', reading(1.04))).status).toBe(200);
  });

  it.each(['/', '/status', '/healthz', '/api/auth/me', '/api/fermenters', '/docs/json'])(
    'refuses a Host header naming another site on %s (DNS rebinding)',
    async (path) => {
      const url = new URL(path.slice(1), rig.app.dashboardUrl).href;
      const res = await getWithHost(url, 'evil.example:8080');
      expect(res.status).toBe(421);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'COBREW_ERR_HOST' });
      // Its own address and localhost are answered as before.
      expect((await getWithHost(url, `localhost:${new URL(url).port}`)).status).not.toBe(421);
    },
  );

  it('shows /status only to logged-in users by default (finding 20)', async () => {
    const anonymous = await fetch(`${rig.app.dashboardUrl}status`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('ale');
    const fragment = await fetch(`${rig.app.dashboardUrl}fragments/fermenters`);
    expect(fragment.status).toBe(401);
    const viewer = await rig.as('viewer');
    const res = await fetch(`${rig.app.dashboardUrl}status`, {
      headers: { cookie: `cobrew_session=${viewer.session}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('a kiosk screen', () => {
  it('sees /status without logging in once http.publicStatus is set', async () => {
    const rig = await startRig({ yaml: 'http: { publicStatus: true }\n' });
    try {
      const res = await fetch(`${rig.app.dashboardUrl}status`);
      expect(res.status).toBe(200);
    } finally {
      await rig.stop();
    }
  });
});

describe('a state with an absurd time (finding 7)', () => {
  it('is refused at the door, and a page given one anyway still renders', () => {
    const store = new StateStore(topicsFor('cobrew'), Date.now, () => T0);
    for (const at of [1e300, -1e300, T0 + 31 * 24 * H]) {
      const res = store.ingest(
        'cobrew/fermenter/ale/state',
        Buffer.from(JSON.stringify(sampleState('ale', { at }))),
      );
      expect(res.accepted, String(at)).toBe(false);
    }
    expect(store.get('ale')).toBeUndefined();
    const view = {
      id: 'ale',
      name: 'Ale',
      state: sampleState('ale', { at: 1e300 }),
      receivedAt: T0,
      online: true,
    };
    expect(renderFermenterList('en', [view]).value).toContain('Ale');
  });
});

describe('a gravity condition (finding 3)', () => {
  const steps = [
    {
      type: 'hold' as const,
      targetC: 18,
      durationH: 240,
      until: { minH: 0, gravityAtMost: 1.02, stablePoints: 1 },
    },
    { type: 'hold' as const, targetC: 2, durationH: 48 },
  ];

  it('never ends a step on a single reading, nor on a burst of them', () => {
    const first = new ProfileRunner(steps, T0, 18);
    expect(first.at(T0 + H, { gravity: 1.0, at: T0 + H }).stepIndex).toBe(0);
    const burst = new ProfileRunner(steps, T0, 18);
    for (let i = 0; i < 10; i++) {
      const at = T0 + H + i * 1000;
      expect(burst.at(at, { gravity: 1.0, at }).stepIndex).toBe(0);
    }
  });

  it('refuses an implausible jump mid-fermentation', () => {
    const r = new ProfileRunner(steps, T0, 18);
    for (let h = 1; h <= 10; h++) r.at(T0 + h * H, { gravity: 1.04, at: T0 + h * H });
    // 40 points in a quarter of an hour, then again and again within minutes: not a fermentation.
    for (const m of [15, 30, 45]) {
      const at = T0 + 10 * H + m * 60_000;
      expect(r.at(at, { gravity: 1.0, at }).stepIndex).toBe(0);
    }
    expect(r.refusedReadings()).toBeGreaterThanOrEqual(2);
  });
});
