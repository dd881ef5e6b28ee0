// Logins, sessions, cookies, CSRF and the access check, against the real application.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccounts } from '../../../dashboard/accounts/index.js';
import { LOGIN_LIMITS } from '../../../dashboard/accounts/login-limiter.js';
import { TEST_PASSWORD_COST } from '../../helpers/api-client.js';
import { PEOPLE, type Rig, startRig } from './rig.js';

interface Me {
  user: { name: string; role: string };
  csrfToken: string;
}
interface ApiError {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

const login = ({ name, password }: { name: string; password: string }) => ({ name, password });

/** The attributes of the session cookie in a Set-Cookie header, lower-cased, without its value. */
function cookieAttributes(headers: Headers): Map<string, string> {
  const line = headers.getSetCookie().find((l) => l.startsWith('cobrew_session='));
  if (line === undefined) throw new Error(`no session cookie in ${headers.getSetCookie().join(' | ')}`);
  return new Map(
    line
      .split(';')
      .slice(1)
      .map((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        return [k.toLowerCase(), v];
      }),
  );
}

describe('accounts over HTTP', () => {
  let rig: Rig;
  beforeAll(async () => {
    // Behind a (pretend) TLS proxy: each test speaks from its own X-Forwarded-For address.
    rig = await startRig({ yaml: 'http: { trustProxy: true }\n' });
  });
  afterAll(() => rig.stop());

  it('logs in with the right password: an HttpOnly, SameSite=Lax session cookie and the CSRF token', async () => {
    const c = rig.client();
    const res = await c.login(PEOPLE.brewer.name, PEOPLE.brewer.password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { name: 'brice', role: 'brewer' }, csrfToken: expect.any(String) });
    const flags = cookieAttributes(res.headers);
    expect(flags.has('httponly')).toBe(true);
    expect(flags.get('samesite')).toBe('Lax');
    expect(flags.get('path')).toBe('/');
    expect(flags.has('secure')).toBe(false);
    const expires = Date.parse(flags.get('expires') ?? '');
    expect(expires - Date.now()).toBeGreaterThan(6 * 24 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600_000);

    const me = await c.get<Me>('api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body);
    // The name is matched without case, and the answer gives it as stored.
    const other = rig.client();
    expect((await other.login('BRICE', PEOPLE.brewer.password)).body).toMatchObject({
      user: { name: 'brice' },
    });
  });

  it('makes the cookie Secure when a trusted proxy says the request came over https', async () => {
    const res = await rig.client().request('POST', 'api/auth/login', login(PEOPLE.viewer), {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '10.0.0.9',
    });
    expect(res.status).toBe(200);
    expect(cookieAttributes(res.headers).has('secure')).toBe(true);
  });

  it('refuses a wrong password and an unknown name alike, with the error shape', async () => {
    const wrong = await rig
      .client()
      .request<ApiError>(
        'POST',
        'api/auth/login',
        { name: 'brice', password: 'nope nope' },
        { 'x-forwarded-for': '10.0.1.1' },
      );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'COBREW_ERR_LOGIN_FAILED',
      error: 'Unauthorized',
      message: expect.stringContaining('Wrong user name or password'),
    });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const unknown = await rig
      .client()
      .request<ApiError>(
        'POST',
        'api/auth/login',
        { name: 'nobody', password: 'nope nope' },
        { 'x-forwarded-for': '10.0.1.1' },
      );
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(rig.logLines).toContainEqual(
      expect.objectContaining({ msg: 'refused a dashboard login', user: 'nobody', address: '10.0.1.1' }),
    );
    expect(JSON.stringify(rig.logLines)).not.toContain('nope nope');
  });

  it('stops checking passwords for an address and name after 5 failures, even the right one, and says how long to wait', async () => {
    const from = { 'x-forwarded-for': '10.0.2.1' };
    const c = rig.client();
    for (let i = 0; i < LOGIN_LIMITS.perPair.max; i++) {
      const res = await c.request('POST', 'api/auth/login', { name: 'mila', password: `guess ${i}` }, from);
      expect(res.status).toBe(401);
    }
    const blocked = await c.request<ApiError>('POST', 'api/auth/login', login(PEOPLE.member), from);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('COBREW_ERR_TOO_MANY_LOGINS');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.message).toContain(`wait ${retryAfter} seconds`);
    // Other names, and the same name from an address that has not failed, are not held up.
    expect((await c.request('POST', 'api/auth/login', login(PEOPLE.admin), from)).status).toBe(200);
    const elsewhere = { 'x-forwarded-for': '10.0.2.99' };
    expect((await c.request('POST', 'api/auth/login', login(PEOPLE.member), elsewhere)).status).toBe(200);
  });

  it('stops an address after 10 failures over any names', async () => {
    const address = { 'x-forwarded-for': '10.0.3.1' };
    const c = rig.client();
    for (let i = 0; i < LOGIN_LIMITS.perAddress.max; i++) {
      const res = await c.request('POST', 'api/auth/login', { name: `user${i}`, password: 'guess' }, address);
      expect(res.status).toBe(401);
    }
    expect((await c.request('POST', 'api/auth/login', login(PEOPLE.viewer), address)).status).toBe(429);
    expect(
      (
        await c.request('POST', 'api/auth/login', login(PEOPLE.viewer), {
          'x-forwarded-for': '10.0.3.2',
        })
      ).status,
    ).toBe(200);
  });

  it('lets nobody into the API without a session, but keeps login, health, docs and the iSpindel post open', async () => {
    const c = rig.client();
    for (const path of [
      'api/fermenters',
      'api/fermenters/ale',
      'api/auth/me',
      'api/audit',
      'api/live',
      'api/nothing',
      // Spelt so that only the router, which decodes it, sees /api/.
      '%61pi/fermenters',
    ]) {
      const res = await c.get<ApiError>(path);
      expect(res.status, path).toBe(401);
      expect(res.body.code, path).toBe('COBREW_ERR_NOT_LOGGED_IN');
    }
    expect((await c.post<ApiError>('api/fermenters/ale/set', { mode: 'off' })).body.code).toBe(
      'COBREW_ERR_NOT_LOGGED_IN',
    );
    expect((await c.get('healthz')).status).toBe(200);
    expect((await c.get('docs/json')).status).toBe(200);
    // Past the session check, to its own: a reading without the iSpindel's token or a brewer's session.
    const ispindel = await c.post<ApiError>('api/ispindel', {
      name: 'blue',
      ID: 1,
      angle: 45,
      temperature: 20,
      battery: 4,
      gravity: 1.05,
    });
    expect(ispindel.status).toBe(401);
    expect(ispindel.body.code).toBe('COBREW_ERR_ISPINDEL_AUTH');
  });

  it('needs the CSRF token of the session on state-changing requests', async () => {
    const c = await rig.as('brewer');
    const token = c.csrfToken;
    c.csrfToken = null;
    const missing = await c.post<ApiError>('api/fermenters/ale/set', { beerSetpointC: 18 });
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('COBREW_ERR_CSRF');
    expect(missing.body.message).toContain('x-csrf-token');
    // Another session's token is no good either.
    c.csrfToken = (await rig.as('admin')).csrfToken;
    expect((await c.post<ApiError>('api/fermenters/ale/set', { beerSetpointC: 18 })).body.code).toBe(
      'COBREW_ERR_CSRF',
    );
    c.csrfToken = token;
    expect((await c.post('api/fermenters/ale/set', { beerSetpointC: 18 })).status).toBe(200);
    // Reading needs no token.
    c.csrfToken = null;
    expect((await c.get('api/fermenters')).status).toBe(200);
  });

  it('logs out: the session ends and its cookie is cleared', async () => {
    const c = await rig.as('viewer');
    const session = c.session;
    expect((await c.post('api/auth/logout')).status).toBe(204);
    expect(c.session).toBeNull();
    c.session = session;
    expect((await c.get<ApiError>('api/auth/me')).body.code).toBe('COBREW_ERR_NOT_LOGGED_IN');
  });

  it('ends the sessions of a removed user at once', async () => {
    const accounts = openAccounts({ dataDir: rig.dataDir, cost: TEST_PASSWORD_COST });
    try {
      await accounts.users.add('temp', 'brewer', 'temporary 1');
      const c = rig.client();
      expect((await c.login('temp', 'temporary 1')).status).toBe(200);
      accounts.users.remove('temp');
      expect((await c.get<ApiError>('api/fermenters')).status).toBe(401);
    } finally {
      accounts.close();
    }
  });
});

describe('before the first user exists', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ users: false });
  });
  afterAll(() => rig.stop());

  it('says how to create the first admin, in the log and in the API', async () => {
    expect(rig.logLines).toContainEqual(
      expect.objectContaining({
        msg: expect.stringContaining('cobrew user add <name> --role admin'),
      }),
    );
    const c = rig.client();
    for (const res of [
      await c.get<ApiError>('api/auth/me'),
      await c.post<ApiError>('api/auth/login', login(PEOPLE.admin)),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('COBREW_ERR_NO_USERS');
      expect(res.body.message).toContain('cobrew user add <name> --role admin');
    }
  });
});
