// From the mutation check: every state-changing method of every route (POST, PUT, PATCH, DELETE) goes
// through the real session, CSRF and role checks of the real application, none is treated as safe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from '../dashboard/api/rig.js';

// Devices post without a session and carry their own token instead (tests/hostile/dashboard-door.test.ts).
const PUBLIC = new Set(['POST /api/auth/login', 'POST /api/ispindel', 'POST /api/tilt']);

describe('every changing route through the real access check', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('wants a session, then the CSRF token, of every POST, PUT, PATCH and DELETE', async () => {
    const admin = await rig.as('admin');
    const doc = (await admin.get<{ paths: Record<string, Record<string, unknown>> }>('docs/json')).body;
    const changing = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .map((m) => m.toUpperCase())
        .filter((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))
        .map((method) => ({ method, path, url: path.slice(1).replace(/\{[^}]+\}/g, 'x') })),
    );
    expect(changing.some((o) => o.method === 'PATCH')).toBe(true);
    expect(changing.some((o) => o.method === 'DELETE')).toBe(true);
    const noCsrf = await rig.as('admin');
    noCsrf.csrfToken = null;
    for (const { method, path, url } of changing) {
      if (PUBLIC.has(`${method} ${path}`)) continue;
      const body = method === 'DELETE' ? undefined : {};
      const anonymous = await rig.client().request<{ code: string }>(method, url, body);
      expect(anonymous.body.code, `${method} ${path} without a session`).toBe('COBREW_ERR_NOT_LOGGED_IN');
      const forged = await noCsrf.request<{ code: string }>(method, url, body);
      expect(forged.body.code, `${method} ${path} without the CSRF token`).toBe('COBREW_ERR_CSRF');
    }
  });
});
