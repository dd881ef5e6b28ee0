// The accounts core on a manual clock: users, sessions, the login limiter and the audit log.
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { dashboardDbFile } from '../../../dashboard/accounts/database.js';
import { type Accounts, openAccounts } from '../../../dashboard/accounts/index.js';
import { LoginLimiter } from '../../../dashboard/accounts/login-limiter.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../dashboard/accounts/sessions.js';
import { TEST_PASSWORD_COST } from '../../helpers/api-client.js';

const HOUR = 3600_000;
let dataDir: string;
let clock: ManualClock;
let accounts: Accounts;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cobrew-accounts-'));
  clock = new ManualClock();
  accounts = openAccounts({ dataDir, now: () => clock.now(), cost: TEST_PASSWORD_COST });
});
afterEach(async () => {
  accounts.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sets the schema version of the closed dashboard.db as another cobrew would have left it. */
function setVersion(version: number): void {
  const raw = new Database(dashboardDbFile(dataDir));
  raw.pragma(`user_version = ${version}`);
  raw.close();
}

describe('database', () => {
  it('gives a dashboard.db made before it had a schema version one, keeping its users', async () => {
    await accounts.users.add('Zoé', 'brewer', 'houblon amer');
    accounts.close();
    setVersion(0);
    accounts = openAccounts({ dataDir, now: () => clock.now(), cost: TEST_PASSWORD_COST });
    expect(accounts.users.list().map((u) => u.name)).toEqual(['Zoé']);
    accounts.close();
    const raw = new Database(dashboardDbFile(dataDir));
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
  });

  it('refuses a dashboard.db written by a newer cobrew, naming the file and its schema', () => {
    accounts.close();
    setVersion(2);
    expect(() => openAccounts({ dataDir })).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_DASHBOARD_DB_TOO_NEW',
        message: expect.stringContaining(
          `${dashboardDbFile(dataDir)} was written by a newer cobrew (schema 2; this one reads up to 1)`,
        ),
      }),
    );
  });
});

describe('users', () => {
  it('keeps a scrypt hash, never the password, in a file only its owner reads', async () => {
    await accounts.users.add('Zoé', 'brewer', 'houblon amer');
    expect(accounts.users.list()).toEqual([{ name: 'Zoé', role: 'brewer', createdAt: clock.now() }]);
    expect(await accounts.users.verify('zoé', 'houblon amer')).toEqual({ name: 'Zoé', role: 'brewer' });
    expect(await accounts.users.verify('Zoé', 'houblon doux')).toBeNull();
    expect(await accounts.users.verify('Zed', 'houblon amer')).toBeNull();
    const file = dashboardDbFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    accounts.close();
    const bytes =
      readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain('houblon');
    expect(bytes).toContain('"algorithm":"scrypt"');
    accounts = openAccounts({ dataDir, now: () => clock.now(), cost: TEST_PASSWORD_COST });
  });

  it('refuses a taken name (whatever its case), a bad name, an unknown role and a short password', async () => {
    await accounts.users.add('ada', 'admin', 'long enough');
    const refusals: Array<[[string, string, string], string, string]> = [
      [['ADA', 'viewer', 'long enough'], 'COBREW_ERR_USER_EXISTS', 'cobrew user remove'],
      [['a b', 'viewer', 'long enough'], 'COBREW_ERR_USER_NAME_INVALID', '"a b"'],
      [['-x', 'viewer', 'long enough'], 'COBREW_ERR_USER_NAME_INVALID', 'starting with'],
      [['bob', 'owner', 'long enough'], 'COBREW_ERR_ROLE_INVALID', 'viewer, member, brewer, admin'],
      [['bob', 'viewer', 'short'], 'COBREW_ERR_PASSWORD_TOO_SHORT', 'at least 8'],
    ];
    for (const [args, code, hint] of refusals) {
      const err = (await accounts.users.add(...args).then(
        () => expect.fail(`${code} expected`),
        (e: unknown) => e,
      )) as { code: string; message: string };
      expect(err.code).toBe(code);
      expect(err.message).toContain(hint);
    }
    expect(() => accounts.users.remove('nobody')).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_USER_UNKNOWN' }),
    );
    expect(accounts.users.count()).toBe(1);
  });
});

describe('sessions', () => {
  const user = { name: 'ada', role: 'admin' } as const;
  beforeEach(() => accounts.users.add(user.name, user.role, 'long enough'));

  it('stores only a digest of the id, and finds the session with its user and CSRF token', async () => {
    const s = accounts.sessions.create(user);
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).not.toBe(s.id);
    expect(accounts.sessions.lookup(s.id)).toEqual({
      user,
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt,
      renewed: false,
    });
    expect(accounts.sessions.lookup(`${s.id}x`)).toBeNull();
    accounts.close();
    expect(readFileSync(dashboardDbFile(dataDir)).toString('latin1')).not.toContain(s.id);
    accounts = openAccounts({ dataDir, now: () => clock.now(), cost: TEST_PASSWORD_COST });
  });

  it('ends a week after its last use, and a month after login however much it is used', () => {
    const idle = accounts.sessions.create(user);
    clock.advance(SESSION_IDLE_MS - 1);
    expect(accounts.sessions.lookup(idle.id)?.renewed).toBe(true);
    clock.advance(SESSION_IDLE_MS - 1);
    expect(accounts.sessions.lookup(idle.id)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(accounts.sessions.lookup(idle.id)).toBeNull();

    const busy = accounts.sessions.create(user);
    const start = clock.now();
    while (clock.now() + 12 * HOUR < start + SESSION_MAX_MS) {
      clock.advance(12 * HOUR);
      expect(accounts.sessions.lookup(busy.id)).not.toBeNull();
    }
    clock.set(start + SESSION_MAX_MS);
    expect(accounts.sessions.lookup(busy.id)).toBeNull();
  });

  it('renews the expiry at most once an hour, and takes a role change at once', async () => {
    const s = accounts.sessions.create(user);
    clock.advance(HOUR / 2);
    expect(accounts.sessions.lookup(s.id)?.renewed).toBe(false);
    clock.advance(HOUR);
    expect(accounts.sessions.lookup(s.id)?.expiresAt).toBe(clock.now() + SESSION_IDLE_MS);
    accounts.users.remove('ada');
    await accounts.users.add('ada', 'viewer', 'long enough');
    expect(accounts.sessions.lookup(s.id)).toBeNull();
    const again = accounts.sessions.create({ name: 'ada', role: 'viewer' });
    accounts.sessions.destroy(again.id);
    expect(accounts.sessions.lookup(again.id)).toBeNull();
  });
});

describe('login limiter', () => {
  const rules = {
    perAddress: { max: 4, windowMs: 60_000 },
    perPair: { max: 2, windowMs: 60_000 },
    perName: { max: 2, windowMs: 60_000, baseMs: 100, maxMs: 400 },
  };

  it('blocks an address and name pair after its failures until the oldest leaves the window', () => {
    const limiter = new LoginLimiter(rules, () => clock.now());
    limiter.failed('10.0.0.1', 'ada');
    clock.advance(10_000);
    limiter.failed('10.0.0.1', 'ADA');
    expect(limiter.blockedForMs('10.0.0.1', 'Ada')).toBe(50_000);
    expect(limiter.blockedForMs('10.0.0.1', 'bob')).toBe(0);
    // Another address is not refused for that name, only slowed down once the name's failures pile up.
    expect(limiter.blockedForMs('10.0.0.3', 'ada')).toBe(0);
    expect(limiter.slowdownMs('ada')).toBe(100);
    limiter.failed('10.0.0.2', 'ada');
    limiter.failed('10.0.0.4', 'ada');
    limiter.failed('10.0.0.5', 'ada');
    expect(limiter.slowdownMs('ada')).toBe(400);
    clock.advance(50_000);
    expect(limiter.blockedForMs('10.0.0.1', 'ada')).toBe(0);
  });

  it('blocks an address after failures over many names; a right password takes back only its own attempt', () => {
    const limiter = new LoginLimiter(rules, () => clock.now());
    for (const name of ['a', 'b', 'c']) limiter.failed('10.0.0.1', name);
    limiter.failed('10.0.0.1', 'ada');
    limiter.succeeded('10.0.0.1', 'ada');
    expect(limiter.blockedForMs('10.0.0.1', 'zed')).toBe(0);
    limiter.failed('10.0.0.1', 'd');
    expect(limiter.blockedForMs('10.0.0.1', 'zed')).toBe(60_000);
    expect(limiter.blockedForMs('10.0.0.2', 'zed')).toBe(0);
  });

  it('clears a pair after a right password', () => {
    const limiter = new LoginLimiter(rules, () => clock.now());
    limiter.failed('10.0.0.2', 'ada');
    limiter.failed('10.0.0.2', 'ada');
    limiter.succeeded('10.0.0.2', 'ada');
    expect(limiter.blockedForMs('10.0.0.2', 'ada')).toBe(0);
  });
});

describe('audit log', () => {
  it('answers by fermenter and time, newest first, and tells its listeners of each entry', () => {
    const heard: number[] = [];
    const stop = accounts.audit.subscribe((e) => heard.push(e.id));
    const write = (fermenterId: string, beerSetpointC: number) => {
      clock.advance(1000);
      return accounts.audit.record({
        user: 'ada',
        fermenterId,
        command: { beerSetpointC },
        result: 'ok',
        error: null,
      });
    };
    const a = write('ale', 18);
    const b = write('lager', 10);
    stop();
    clock.advance(1000);
    const c = accounts.audit.record({
      user: 'bob',
      fermenterId: 'ale',
      command: { clearTrip: true },
      result: 'refused',
      error: { code: 'COBREW_ERR_TRIP_PERSISTS', message: 'still hot' },
    });
    expect(heard).toEqual([a.id, b.id]);
    expect(accounts.audit.query({ limit: 10 }).map((e) => e.id)).toEqual([c.id, b.id, a.id]);
    expect(accounts.audit.query({ fermenterId: 'ale', limit: 10 })).toEqual([c, a]);
    expect(accounts.audit.query({ from: b.at, to: b.at, limit: 10 })).toEqual([b]);
    expect(accounts.audit.query({ limit: 1 })).toEqual([c]);
  });
});
