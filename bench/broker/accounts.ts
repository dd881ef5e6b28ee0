// The bench's MQTT users, written for both brokers with the same rights: publishers are `bridge` users that
// each run one fermenter and publish its state, subscribers are `viewer`s reading `<base>/#`. Mosquitto gets
// a password file and an ACL made from cobrew's own role rules (broker/acl.ts), so neither broker checks
// less than the other.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Principal, rulesFor } from '../../broker/acl.js';
import { addUser, usersFile } from '../../broker/credentials.js';

const run = promisify(execFile);

export const BASE_TOPIC = 'cobrew';

export interface Account {
  readonly principal: Principal;
  readonly password: string;
  /** Where a publisher sends, or what a subscriber subscribes to. */
  readonly topic: string;
}

export interface Accounts {
  readonly publishers: readonly Account[];
  readonly subscribers: readonly Account[];
}

export function makeAccounts(publishers: number, subscribers: number): Accounts {
  const password = () => randomBytes(18).toString('base64url');
  return {
    publishers: Array.from({ length: publishers }, (_, i) => ({
      principal: { name: `bench-bridge-${i}`, role: 'bridge', fermenters: [`bench${i}`] },
      password: password(),
      topic: `${BASE_TOPIC}/fermenter/bench${i}/state`,
    })),
    subscribers: Array.from({ length: subscribers }, (_, i) => ({
      principal: { name: `bench-viewer-${i}`, role: 'viewer' },
      password: password(),
      topic: `${BASE_TOPIC}/#`,
    })),
  };
}

const all = (a: Accounts): Account[] => [...a.publishers, ...a.subscribers];

/** cobrew's users file in `dir`, hashed at the cost `cobrew mqtt-user add` uses; returns its path. */
export async function writeCobrewUsers(dir: string, accounts: Accounts): Promise<string> {
  const file = usersFile(dir);
  for (const { principal, password } of all(accounts)) {
    await addUser(file, {
      name: principal.name,
      role: principal.role,
      password,
      ...(principal.fermenters === undefined ? {} : { fermenters: principal.fermenters }),
    });
  }
  return file;
}

/** Mosquitto's password file (mosquitto_passwd) and ACL file in `dir`. */
export async function writeMosquittoUsers(
  dir: string,
  accounts: Accounts,
): Promise<{ passwordFile: string; aclFile: string }> {
  const passwordFile = join(dir, 'passwd');
  const aclFile = join(dir, 'acl');
  await writeFile(passwordFile, '', { mode: 0o600 });
  const acl: string[] = [];
  for (const { principal, password } of all(accounts)) {
    await run('mosquitto_passwd', ['-b', passwordFile, principal.name, password]);
    const rules = rulesFor(principal, BASE_TOPIC);
    acl.push(
      `user ${principal.name}`,
      ...rules.publish.map((t) => `topic write ${t}`),
      ...rules.read.map((t) => `topic read ${t}`),
      '',
    );
  }
  await writeFile(aclFile, acl.join('\n'), { mode: 0o600 });
  return { passwordFile, aclFile };
}
