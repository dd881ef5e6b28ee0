import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPONENT_SECRETS_FILE_NAME, ensureComponentAccounts } from '../../broker/component-accounts.js';
import {
  addUser,
  changeUsers,
  listUsers,
  removeUser,
  UserDirectory,
  usersFile,
} from '../../broker/credentials.js';
import { cleanEnv, runCobrew } from '../app/cli-helpers.js';
import { TEST_COST } from './auth-rig.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-credentials-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('the MQTT users file', () => {
  it('stores scrypt hashes with their salt and parameters, never the password, owner-only', async () => {
    const file = usersFile(dir);
    await addUser(file, { name: 'eve', role: 'viewer', password: 'correct horse' }, TEST_COST);
    await addUser(file, { name: 'eve2', role: 'viewer', password: 'correct horse' }, TEST_COST);
    expect(await modeOf(file)).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('correct horse');
    const { users } = JSON.parse(text);
    expect(users.eve.password).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1 });
    // Same password, different salt, different hash.
    expect(users.eve.password.salt).not.toBe(users.eve2.password.salt);
    expect(users.eve.password.hash).not.toBe(users.eve2.password.hash);

    const directory = new UserDirectory(file);
    expect(await directory.login('eve', 'correct horse')).toEqual({
      ok: true,
      principal: { name: 'eve', role: 'viewer' },
    });
    expect(await directory.login('eve', 'Correct horse')).toEqual({ ok: false, reason: 'wrong password' });
    expect(await directory.login('adam', 'correct horse')).toEqual({ ok: false, reason: 'unknown user' });
    expect((await readdir(dir)).sort()).toEqual(['mqtt-users.json']);
  });

  it('loses no user when several are added at once', async () => {
    const file = usersFile(dir);
    const names = Array.from({ length: 8 }, (_, i) => `user${i}`);
    await Promise.all(
      names.map((name) => addUser(file, { name, role: 'viewer', password: `${name} secret` }, TEST_COST)),
    );
    expect((await listUsers(file)).map((u) => u.name)).toEqual(names);
  });

  it('takes over a lock left behind by a process that died holding it', async () => {
    const file = usersFile(dir);
    await writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    await addUser(file, { name: 'eve', role: 'viewer', password: 'x secret 1' }, TEST_COST);
    expect((await listUsers(file)).map((u) => u.name)).toEqual(['eve']);
  });

  it('names a broken file and how to get out of it', async () => {
    const file = usersFile(dir);
    await writeFile(file, '{"version": 1, "users": {"eve": {"role": "admin"}}}');
    await expect(listUsers(file)).rejects.toMatchObject({
      code: 'COBREW_ERR_MQTT_USERS_FILE_INVALID',
      message: expect.stringContaining(file),
    });
    await expect(removeUser(file, 'eve')).rejects.toMatchObject({
      code: 'COBREW_ERR_MQTT_USERS_FILE_INVALID',
    });
  });
});

describe('cobrew mqtt-user', () => {
  const cli = (args: string[], env?: Record<string, string>) =>
    runCobrew(['mqtt-user', ...args], cleanEnv(env));

  it('adds, lists and removes users in the data directory', async () => {
    const added = await cli(['add', 'eve', '--role', 'viewer', '--password', 's3cret!!', '--data-dir', dir]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added MQTT user eve (viewer)');
    // COBREW_DATA_DIR works as well as the flag.
    const bridge = await cli(
      ['add', 'cellar', '--role', 'bridge', '--fermenters', 'ale, lager', '--password', 'bridge secret'],
      {
        COBREW_DATA_DIR: dir,
      },
    );
    expect(bridge.code).toBe(0);
    expect(bridge.stdout).toContain('cellar (bridge for fermenters ale, lager)');

    const file = usersFile(dir);
    expect(await modeOf(file)).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('s3cret!');
    // The command line hashes at the full cost.
    expect(JSON.parse(text).users.eve.password).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(await new UserDirectory(file).login('eve', 's3cret!!')).toMatchObject({ ok: true });

    const list = await cli(['list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['NAME', 'ROLE', 'MOSQUITTO', 'FERMENTERS'],
      ['cellar', 'bridge', 'yes', 'ale,lager'],
      ['eve', 'viewer', 'yes'],
      [],
    ]);
    expect(list.stdout).not.toContain('scrypt');

    const removed = await cli(['remove', 'eve', '--data-dir', dir]);
    expect(removed.code).toBe(0);
    expect((await listUsers(file)).map((u) => u.name)).toEqual(['cellar']);
  });

  it('refuses bad input with a typed code and a non-zero exit, changing nothing', async () => {
    await addUser(usersFile(dir), { name: 'eve', role: 'viewer', password: 'x secret 1' }, TEST_COST);
    const before = await readFile(usersFile(dir), 'utf8');
    const cases: Array<[string[], string]> = [
      [['add', 'eve', '--role', 'viewer', '--password', 'y secret 1'], 'COBREW_ERR_MQTT_USER_EXISTS'],
      [['add', 'bob', '--role', 'admin', '--password', 'y secret 1'], 'COBREW_ERR_MQTT_ROLE_UNKNOWN'],
      [['add', 'bob/x', '--role', 'viewer', '--password', 'y secret 1'], 'COBREW_ERR_MQTT_USER_NAME_INVALID'],
      [['add', 'bob', '--role', 'viewer', '--password', ''], 'COBREW_ERR_MQTT_PASSWORD_EMPTY'],
      [['add', 'bob', '--role', 'bridge', '--password', 'y secret 1'], 'COBREW_ERR_MQTT_USER_FERMENTERS'],
      [['remove', 'bob'], 'COBREW_ERR_MQTT_USER_NOT_FOUND'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli([...args, '--data-dir', dir])));
    results.forEach((result, i) => {
      const [args, code] = cases[i] as [string[], string];
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(new RegExp(`^${code}: `));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
    expect(results[1]?.stderr).toContain('use one of bridge, service, viewer, ispindel');
    expect(await readFile(usersFile(dir), 'utf8')).toBe(before);
  });
});

describe('passwords for Mosquitto', () => {
  it('keeps a Mosquitto hash with each password set, and lists users without one with the fix', async () => {
    const file = usersFile(dir);
    await addUser(file, { name: 'eve', role: 'viewer', password: 's3cret!!' }, TEST_COST);
    await addUser(file, { name: 'old', role: 'viewer', password: 'from before' }, TEST_COST);
    await changeUsers(file, async (users) => {
      delete users.old?.mosquitto;
      return true;
    });
    expect((await listUsers(file)).map((u) => [u.name, u.mosquitto])).toEqual([
      ['eve', true],
      ['old', false],
    ]);
    const list = await runCobrew(['mqtt-user', 'list', '--data-dir', dir], cleanEnv());
    expect(list.stdout).toMatch(/^old\s+viewer\s+no$/m);
    expect(list.stderr).toContain(
      'MQTT user(s) old cannot log in to Mosquitto: their password was set before cobrew kept a Mosquitto ' +
        'hash. Set it again with `cobrew mqtt-user password <name> --password <pw>`.',
    );
    const changed = await runCobrew(
      ['mqtt-user', 'password', 'old', '--password', 'set again', '--data-dir', dir],
      cleanEnv(),
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect((await listUsers(file)).map((u) => u.mosquitto)).toEqual([true, true]);
    expect(await new UserDirectory(file).login('old', 'set again')).toMatchObject({ ok: true });
    const short = await runCobrew(
      ['mqtt-user', 'password', 'old', '--password', 'short', '--data-dir', dir],
      cleanEnv(),
    );
    expect(short.stderr).toContain('COBREW_ERR_MQTT_PASSWORD_TOO_SHORT');
  });
});

describe("cobrew's own accounts", () => {
  const options = { dataDir: '', bridgeId: 'cellar', fermenters: ['ale', 'lager'], cost: TEST_COST };

  it('are created once with random passwords kept owner-only, then reused', async () => {
    const first = await ensureComponentAccounts({ ...options, dataDir: dir });
    expect(first.created).toEqual(['cellar', 'dashboard']);
    expect(first.bridge.username).toBe('cellar');
    expect(first.bridge.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.dashboard.password).not.toBe(first.bridge.password);
    const secrets = join(dir, COMPONENT_SECRETS_FILE_NAME);
    expect(await modeOf(secrets)).toBe(0o600);
    expect(await modeOf(usersFile(dir))).toBe(0o600);
    expect(await listUsers(usersFile(dir))).toEqual([
      { name: 'cellar', role: 'bridge', fermenters: ['ale', 'lager'], mosquitto: true },
      { name: 'dashboard', role: 'service', mosquitto: true },
    ]);

    const again = await ensureComponentAccounts({ ...options, dataDir: dir });
    expect(again).toEqual({ ...first, created: [] });
    const directory = new UserDirectory(usersFile(dir));
    expect(await directory.login('dashboard', first.dashboard.password)).toMatchObject({ ok: true });
  });

  it("follow the configuration's fermenters and come back when removed", async () => {
    const first = await ensureComponentAccounts({ ...options, dataDir: dir });
    await ensureComponentAccounts({ ...options, dataDir: dir, fermenters: ['ale', 'stout'] });
    expect((await listUsers(usersFile(dir)))[0]).toEqual({
      name: 'cellar',
      role: 'bridge',
      fermenters: ['ale', 'stout'],
      mosquitto: true,
    });
    await removeUser(usersFile(dir), 'dashboard');
    const back = await ensureComponentAccounts({ ...options, dataDir: dir });
    expect(back.created).toEqual(['dashboard']);
    expect(back.bridge).toEqual(first.bridge);
  });

  it('refuse to take over a user of another role', async () => {
    await addUser(usersFile(dir), { name: 'cellar', role: 'viewer', password: 'x secret 1' }, TEST_COST);
    await expect(ensureComponentAccounts({ ...options, dataDir: dir })).rejects.toMatchObject({
      code: 'COBREW_ERR_MQTT_USER_CONFLICT',
      message: expect.stringContaining('cobrew mqtt-user remove cellar'),
    });
    await expect(
      ensureComponentAccounts({ ...options, dataDir: dir, bridgeId: 'dashboard' }),
    ).rejects.toMatchObject({ code: 'COBREW_ERR_MQTT_USER_CONFLICT' });
    await expect(
      ensureComponentAccounts({ ...options, dataDir: dir, bridgeId: 'a/b' }),
    ).rejects.toMatchObject({
      code: 'COBREW_ERR_MQTT_USER_NAME_INVALID',
    });
  });
});
