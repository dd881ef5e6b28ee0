// cobrew's own MQTT accounts: the bridge (role bridge, for this configuration's fermenters) and the dashboard
// (role service). The first `cobrew start` creates them with random passwords, kept in
// <data dir>/mqtt-components.json, readable by the owner only, so that restarts reuse them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { writeSecretFile } from '../common/atomic-file.js';
import { componentUserConflict } from './credential-errors.js';
import { changeUsers, checkUserName, passwordHashes, type StoredUser, usersFile } from './credentials.js';
import {
  type CheckedPassword,
  DEFAULT_COST,
  mosquittoHash,
  randomPassword,
  verifyPassword,
} from './password.js';

export const COMPONENT_SECRETS_FILE_NAME = 'mqtt-components.json';
export const DASHBOARD_USER = 'dashboard';

const SecretsSchema = T.Object({
  version: T.Literal(1),
  passwords: T.Record(T.String(), T.String({ minLength: 1 })),
});

export interface Account {
  readonly username: string;
  readonly password: string;
}

export interface ComponentAccounts {
  readonly bridge: Account;
  readonly dashboard: Account;
  /** The user names given a new password this time. */
  readonly created: readonly string[];
  /** Each account's password with the stored hash it was checked against or made with, for the broker's logins. */
  readonly checked: Readonly<Record<string, CheckedPassword>>;
}

export interface ComponentAccountOptions {
  dataDir: string;
  /** The bridge's user name, which is also the name in `<base>/bridge/<bridgeId>/…`. */
  bridgeId: string;
  fermenters: readonly string[];
  cost?: { N: number; r: number; p: number };
}

/** Makes sure both accounts exist with the stored passwords and the bridge owns exactly these fermenters. */
export async function ensureComponentAccounts(opts: ComponentAccountOptions): Promise<ComponentAccounts> {
  const file = usersFile(opts.dataDir);
  const secretsFile = join(opts.dataDir, COMPONENT_SECRETS_FILE_NAME);
  const wanted: Array<{ name: string; role: 'bridge' | 'service'; purpose: string; fermenters: string[] }> = [
    { name: opts.bridgeId, role: 'bridge', purpose: 'bridge', fermenters: [...new Set(opts.fermenters)] },
    { name: DASHBOARD_USER, role: 'service', purpose: 'dashboard', fermenters: [] },
  ];
  checkUserName(opts.bridgeId);
  if (opts.bridgeId === DASHBOARD_USER) {
    throw componentUserConflict(DASHBOARD_USER, file, 'service', 'bridge');
  }

  const created: string[] = [];
  const checked: Record<string, CheckedPassword> = {};
  let passwords: Record<string, string> = {};
  await changeUsers(file, async (users) => {
    passwords = await readSecrets(secretsFile);
    const found = wanted.map((w) => (Object.hasOwn(users, w.name) ? users[w.name] : undefined));
    for (const [i, w] of wanted.entries()) {
      const role = found[i]?.role;
      if (role !== undefined && role !== w.role) throw componentUserConflict(w.name, file, role, w.purpose);
    }
    // Both accounts side by side: each check, or new hash, is a scrypt on the way to the first state.
    const fresh = await Promise.all(
      wanted.map(async (w, i) => {
        const user = found[i];
        const secret = passwords[w.name];
        if (user !== undefined && secret !== undefined && (await verifyPassword(secret, user.password))) {
          return null;
        }
        const password = randomPassword();
        return { password, hashes: await passwordHashes(password, opts.cost ?? DEFAULT_COST) };
      }),
    );
    let changed = false;
    for (const [i, w] of wanted.entries()) {
      const user = found[i];
      const made = fresh[i] ?? null;
      if (made !== null) {
        const { password, hashes } = made;
        users[w.name] =
          w.role === 'bridge'
            ? { role: 'bridge', fermenters: w.fermenters, ...hashes }
            : { role: 'service', ...hashes };
        passwords[w.name] = password;
        created.push(w.name);
        changed = true;
      } else if (user !== undefined) {
        if (user.role === 'bridge' && !sameIds(user.fermenters, w.fermenters)) {
          users[w.name] = { ...user, fermenters: w.fermenters } satisfies StoredUser;
          changed = true;
        }
        // Accounts made before Mosquitto hashes were kept: their password is known here, so add it.
        if (user.mosquitto === undefined) {
          const mosquitto = await mosquittoHash(passwords[w.name] as string);
          users[w.name] = { ...(users[w.name] as StoredUser), mosquitto };
          changed = true;
        }
      }
      const { password: hash } = users[w.name] as StoredUser;
      checked[w.name] = { password: passwords[w.name] as string, hash };
    }
    // Passwords first: if the users file were not written after them, the next start regenerates both.
    if (created.length > 0) {
      await writeSecretFile(secretsFile, `${JSON.stringify({ version: 1, passwords }, null, 2)}\n`);
    }
    return changed;
  });
  const account = (name: string): Account => ({ username: name, password: passwords[name] as string });
  return { bridge: account(opts.bridgeId), dashboard: account(DASHBOARD_USER), created, checked };
}

/** The stored passwords; an unreadable file counts as none, since new ones can always be made. */
async function readSecrets(file: string): Promise<Record<string, string>> {
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Value.Check(SecretsSchema, data) ? { ...data.passwords } : {};
  } catch {
    return {};
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
