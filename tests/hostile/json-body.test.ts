// Finding 15: deeply nested JSON answers 400 before login (not 500), and a refused value is quoted back
// only as a short prefix, in the answer and in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from '../dashboard/api/rig.js';

describe('hostile JSON bodies', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  const post = (path: string, body: string) =>
    fetch(new URL(path, rig.app.dashboardUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it.each([
    ['arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['objects', `{"name":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},"password":"x"}`],
  ])('refuses %s nested 100,000 deep with 400 before login', async (_kind, body) => {
    for (const path of ['api/auth/login', 'api/ispindel', 'api/fermenters/ale/set']) {
      const res = await post(path, body);
      expect(res.status, path).toBeLessThan(500);
      expect(res.status, path).not.toBe(200);
    }
    const res = await post('api/auth/login', body);
    expect(((await res.json()) as { code: string }).code).toBe('COBREW_ERR_JSON_TOO_DEEP');
  });

  it('quotes at most a short prefix of a huge refused value', async () => {
    const before = rig.logLines.length;
    const huge = 'x'.repeat(500_000);
    for (const body of [
      { name: huge, password: 1 },
      { name: 'green', ID: huge, angle: 1, temperature: 20, battery: 4, gravity: huge },
    ]) {
      for (const path of ['api/auth/login', 'api/ispindel']) {
        const res = await post(path, JSON.stringify(body));
        expect(res.status).toBe(400);
        expect((await res.text()).length, path).toBeLessThan(2000);
      }
    }
    for (const line of rig.logLines.slice(before)) expect(JSON.stringify(line).length).toBeLessThan(4000);
  });
});
