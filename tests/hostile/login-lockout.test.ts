// Finding 4, and concurrent logins: nobody can lock the admin out, and parallel guesses do not slip under
// the limit (a failure is counted before the slow password check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../dashboard/accounts/login-limiter.js';
import { PEOPLE, type Rig, startRig } from '../dashboard/api/rig.js';

const admin = { name: PEOPLE.admin.name, password: PEOPLE.admin.password };

describe('the login limit under attack', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ yaml: 'http: { trustProxy: true }\n' });
  });
  afterAll(async () => rig?.stop());

  const attempt = (address: string, password: string, name: string = admin.name) =>
    rig.client().request('POST', 'api/auth/login', { name, password }, { 'x-forwarded-for': address });

  it('lets the admin in from an address that has not failed, however many guesses others made', async () => {
    // Five wrong passwords from each of two addresses, then one more from each.
    for (const a of ['10.9.0.1', '10.9.0.2']) {
      for (let i = 0; i < LOGIN_LIMITS.perPair.max; i++)
        expect((await attempt(a, `guess ${i}`)).status).toBe(401);
      expect((await attempt(a, 'guess again')).status).toBe(429);
    }
    const started = Date.now();
    expect((await attempt('10.9.0.200', admin.password)).status).toBe(200);
    // Slowed down a little, never refused.
    expect(Date.now() - started).toBeLessThan(LOGIN_LIMITS.perName.maxMs + 2000);
  });

  it('counts parallel guesses before checking them: at most the limit get a password check', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt('10.9.1.1', `parallel ${i}`, PEOPLE.member.name)),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBeLessThanOrEqual(LOGIN_LIMITS.perPair.max);
    expect(answers.filter((a) => a.status === 429).length).toBe(20 - checked);
  });
});
