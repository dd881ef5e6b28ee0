// Finding 5: security headers on every kind of answer, and a dashboard that no other page can frame. The
// browser tests (tests/dashboard/web) show the front-end works under this policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from '../dashboard/api/rig.js';

describe('security headers', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it.each(['', 'status', 'api/fermenters', 'api/auth/me', 'healthz', 'assets/status.js', 'no/such/file'])(
    'are on /%s',
    async (path) => {
      const viewer = await rig.as('viewer');
      const res = await fetch(new URL(path, rig.app.dashboardUrl), {
        headers: { cookie: `cobrew_session=${viewer.session}` },
      });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    },
  );
});
