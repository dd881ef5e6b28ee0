// A real Mosquitto (Debian's package) run by cobrew with the password file and ACL it writes from its own
// users and roles, tried with MQTT 5 clients (mqtt.js, protocolVersion 5): passwords set through cobrew log
// in, wrong ones do not, and every publish and delivery Mosquitto allows or denies is what the embedded
// broker's ACL (broker/acl.ts) allows or denies for the same user.
import { execFile } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Acl, type Principal, rulesFor } from '../../broker/acl.js';
import { ensureComponentAccounts } from '../../broker/component-accounts.js';
import { addUser, changeUsers, setUserPassword, usersFile } from '../../broker/credentials.js';
import { MOSQUITTO_FILE_NAMES } from '../../broker/mosquitto-config.js';
import {
  type ManagedMosquitto,
  mosquittoDir,
  startManagedMosquitto,
} from '../../broker/mosquitto-managed.js';
import { mosquittoHash } from '../../broker/password.js';
import { freePort } from '../helpers/mosquitto.js';
import { TEST_COST } from './auth-rig.js';

const BASE = 'cobrew';
const PEOPLE = {
  watcher: { role: 'viewer', password: 'just looking' },
  blue: { role: 'ispindel', password: 'floats in ale' },
  ha: { role: 'service', password: 'assist me now' },
  old: { role: 'viewer', password: 'set long ago' },
} as const;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(stdout),
    ),
  );
}

describe('cobrew runs Mosquitto with its own users and roles', () => {
  let dir: string;
  let port: number;
  let broker: ManagedMosquitto;
  let dashboard: { username: string; password: string };
  let bridge: { username: string; password: string };
  const clients: MqttClient[] = [];

  const connect = async (username: string | undefined, password?: string): Promise<MqttClient> => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...(username === undefined ? {} : { username, password }),
    });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    });
    return c;
  };
  /** The CONNACK reason code Mosquitto refuses with, or 0 when it accepts. */
  const loginCode = async (username: string, password: string): Promise<number> => {
    try {
      const c = await connect(username, password);
      await c.endAsync();
      return 0;
    } catch (err) {
      return (err as { code?: number }).code ?? -1;
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cobrew-managed-mosquitto-'));
    const file = usersFile(dir);
    for (const [name, u] of Object.entries(PEOPLE)) {
      await addUser(file, { name, role: u.role, password: u.password }, TEST_COST);
    }
    // A user whose password was set before cobrew kept Mosquitto hashes.
    await changeUsers(file, async (users) => {
      delete users.old?.mosquitto;
      return true;
    });
    const accounts = await ensureComponentAccounts({
      dataDir: dir,
      bridgeId: 'cellar',
      fermenters: ['ale'],
      cost: TEST_COST,
    });
    dashboard = accounts.dashboard;
    bridge = accounts.bridge;
    port = await freePort();
    broker = await startManagedMosquitto({
      dataDir: dir,
      binary: '/usr/sbin/mosquitto',
      host: '127.0.0.1',
      port,
      wsPort: 0,
      baseTopic: BASE,
      anonymous: 'refuse',
      watchMs: 100,
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the hash mosquitto_passwd writes: $7$, 101 iterations, 12-byte salt, 64-byte PBKDF2-SHA512', async () => {
    const hash = await mosquittoHash('floats in ale');
    const [, seven, iterations, salt, key] = hash.split('$');
    expect([seven, iterations]).toEqual(['7', '101']);
    expect(Buffer.from(salt as string, 'base64')).toHaveLength(12);
    expect(Buffer.from(key as string, 'base64')).toHaveLength(64);
    // mosquitto_passwd's own hash of the same password, rederived from its salt as cobrew derives.
    const passwd = join(dir, 'made-by-mosquitto_passwd');
    await run('mosquitto_passwd', ['-c', '-b', passwd, 'x', 'floats in ale']);
    const theirs = (await readFile(passwd, 'utf8')).trim().split(':')[1] as string;
    const [, , theirIterations, theirSalt, theirKey] = theirs.split('$');
    expect(theirIterations).toBe('101');
    const again = pbkdf2Sync('floats in ale', Buffer.from(theirSalt as string, 'base64'), 101, 64, 'sha512');
    expect(again.toString('base64')).toBe(theirKey);
  });

  it('writes the password file, ACL and configuration owner-only, without the user that has no hash', async () => {
    for (const name of Object.values(MOSQUITTO_FILE_NAMES)) {
      const s = await stat(join(mosquittoDir(dir), name));
      expect(s.mode & 0o777, name).toBe(0o600);
    }
    const passwd = await readFile(join(mosquittoDir(dir), MOSQUITTO_FILE_NAMES.passwd), 'utf8');
    expect(passwd.split('\n').map((l) => l.split(':')[0])).toEqual([
      'blue',
      'cellar',
      'dashboard',
      'ha',
      'watcher',
      '',
    ]);
  });

  it('lets cobrew’s users in over MQTT 5 with their passwords and refuses wrong ones', async () => {
    expect(await loginCode(dashboard.username, dashboard.password)).toBe(0);
    expect(await loginCode(bridge.username, bridge.password)).toBe(0);
    expect(await loginCode('ha', PEOPLE.ha.password)).toBe(0);
    expect(await loginCode('ha', 'not the password')).toBeGreaterThanOrEqual(128);
    expect(await loginCode('nobody', 'not the password')).toBeGreaterThanOrEqual(128);
    // Set before Mosquitto hashes were kept: refused until the password is set again.
    expect(await loginCode('old', PEOPLE.old.password)).toBeGreaterThanOrEqual(128);
    await setUserPassword(usersFile(dir), 'old', 'set once more', TEST_COST);
    await vi.waitFor(async () => expect(await loginCode('old', 'set once more')).toBe(0));
  });

  it('allows and denies each publish and delivery as the embedded broker’s ACL does', async () => {
    const who: Record<string, { password: string; principal: Principal }> = {
      dashboard: { password: dashboard.password, principal: { name: 'dashboard', role: 'service' } },
      cellar: {
        password: bridge.password,
        principal: { name: 'cellar', role: 'bridge', fermenters: ['ale'] },
      },
      watcher: { password: PEOPLE.watcher.password, principal: { name: 'watcher', role: 'viewer' } },
      blue: { password: PEOPLE.blue.password, principal: { name: 'blue', role: 'ispindel' } },
    };
    const topics = [
      `${BASE}/fermenter/ale/state`,
      `${BASE}/fermenter/lager/state`,
      `${BASE}/fermenter/ale/set`,
      `${BASE}/bridge/cellar/homeassistant`,
      'ispindel/blue/gravity',
      'ispindel/red/gravity',
      'homeassistant/sensor/iSpindel_blue/config',
      'homeassistant/climate/cobrew_ale/climate/config',
      'homeassistant/status',
      'elsewhere/topic',
    ];
    // One reader that may read everything (the service role) sees what each publish let through; MQTT 5
    // also says it in the PUBACK (135, not authorised).
    const reader = await connect('dashboard', dashboard.password);
    const seen: string[] = [];
    reader.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    await reader.subscribeAsync('#', { qos: 1 });

    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [name, { password, principal }] of Object.entries(who)) {
      const acl = new Acl(rulesFor(principal, BASE));
      const c = await connect(name, password);
      for (const topic of topics) {
        const marker = `${name}-${topic}`;
        const code = await c.publishAsync(topic, marker, { qos: 1 }).then(
          () => 0,
          (err: { code?: number }) => err.code ?? -1,
        );
        outcomes.push(`${name} ${topic} ${code === 0 ? 'allowed' : `denied ${code}`}`);
        expected.push(`${name} ${topic} ${acl.mayPublish(topic) ? 'allowed' : 'denied 135'}`);
      }
      await c.endAsync();
    }
    expect(outcomes).toEqual(expected);
    expect(expected.filter((e) => e.includes('denied')).length).toBeGreaterThan(10);
    // What was allowed arrived, and nothing else did.
    await reader.publishAsync(`${BASE}/fermenter/ale/set`, 'end', { qos: 1 });
    await vi.waitFor(() => expect(seen).toContain(`${BASE}/fermenter/ale/set end`));
    const arrived = seen
      .filter((m) => !m.endsWith(' end'))
      .map((m) => {
        const [topic, marker] = m.split(' ') as [string, string];
        return `${marker.slice(0, marker.indexOf('-'))} ${topic} allowed`;
      });
    expect(arrived.sort()).toEqual(expected.filter((e) => e.endsWith('allowed')).sort());

    // Reading: a viewer subscribed to everything receives <base>/… only; an iSpindel receives nothing.
    for (const name of ['watcher', 'blue'] as const) {
      const acl = new Acl(rulesFor(who[name]?.principal as Principal, BASE));
      const c = await connect(name, who[name]?.password);
      const got: string[] = [];
      c.on('message', (topic) => got.push(topic));
      await c.subscribeAsync('#', { qos: 1 });
      const sender = await connect('dashboard', dashboard.password);
      for (const topic of [...topics, `${BASE}/fermenter/ale/set`]) {
        if (new Acl(rulesFor(who.dashboard?.principal as Principal, BASE)).mayPublish(topic)) {
          await sender.publishAsync(topic, 'x', { qos: 1 });
        }
      }
      await sender.publishAsync(`${BASE}/fermenter/ale/set`, 'last', { qos: 1 });
      if (acl.mayReceive(`${BASE}/fermenter/ale/set`)) {
        await vi.waitFor(() => expect(got).toContain(`${BASE}/fermenter/ale/set`));
      } else {
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(
        got.every((t) => acl.mayReceive(t)),
        `${name} got ${got.join(', ')}`,
      ).toBe(true);
      await c.endAsync();
      await sender.endAsync();
    }
  });

  it('says why when Mosquitto cannot start: not installed, or its port taken', async () => {
    const base = {
      dataDir: dir,
      host: '127.0.0.1',
      wsPort: 0,
      baseTopic: BASE,
      anonymous: 'refuse' as const,
    };
    await expect(
      startManagedMosquitto({ ...base, binary: '/nonexistent/mosquitto', port: await freePort() }),
    ).rejects.toMatchObject({
      code: 'COBREW_ERR_MOSQUITTO_START',
      message: expect.stringContaining('ENOENT'),
    });
    await expect(
      startManagedMosquitto({ ...base, binary: '/usr/sbin/mosquitto', port }),
    ).rejects.toMatchObject({
      code: 'COBREW_ERR_MOSQUITTO_START',
      message: expect.stringContaining('something already listens there'),
    });
  });

  it('starts Mosquitto again when it stops', async () => {
    const pid = broker.pid as number;
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(broker.pid).not.toBe(pid), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await loginCode('ha', PEOPLE.ha.password)).toBe(0), {
      timeout: 10_000,
    });
  });

  it('takes a user added while it runs from its next connection', async () => {
    await addUser(usersFile(dir), { name: 'red', role: 'ispindel', password: 'floats in stout' }, TEST_COST);
    await vi.waitFor(async () => expect(await loginCode('red', 'floats in stout')).toBe(0));
  });
});
