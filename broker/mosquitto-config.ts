// Mosquitto's password file, ACL and configuration written from cobrew's own MQTT users and roles, so that a
// Mosquitto (Debian package `mosquitto`, which speaks MQTT 5 for Home Assistant) enforces what the embedded
// broker enforces. The ACL is rulesFor() of broker/acl.ts, user by user; the passwords are the Mosquitto
// hashes kept beside the scrypt ones in <data dir>/mqtt-users.json.
import { join } from 'node:path';
import { writeSecretFile } from '../common/atomic-file.js';
import { type Principal, rulesFor } from './acl.js';
import type { StoredUser } from './credentials.js';

export interface MosquittoSetup {
  /** Where Mosquitto listens: cobrew's own clients dial it. */
  host: string;
  port: number;
  /** MQTT over WebSocket for browsers; 0 for none. */
  wsPort: number;
  baseTopic: string;
  /** What a client without a user name gets, as `mqtt.anonymous`. */
  anonymous: 'refuse' | 'viewer';
  /** The system user Mosquitto runs as when started as root (otherwise it changes to `mosquitto`). */
  runAs: string;
}

export interface MosquittoFiles {
  readonly passwd: string;
  readonly acl: string;
  readonly conf: string;
  /** Users left out because their password was set before cobrew kept a Mosquitto hash. */
  readonly withoutHash: readonly string[];
}

export const MOSQUITTO_FILE_NAMES = { passwd: 'passwd', acl: 'acl', conf: 'mosquitto.conf' } as const;

const HEADER =
  '# Written by cobrew from <data dir>/mqtt-users.json; edits are overwritten. Change users with ' +
  '`cobrew mqtt-user`.\n';

function principal(name: string, user: StoredUser): Principal {
  return user.role === 'bridge'
    ? { name, role: 'bridge', fermenters: user.fermenters }
    : { name, role: user.role };
}

/** One `topic` line per filter: readwrite where a role both publishes and reads it. */
function topicLines(publish: readonly string[], read: readonly string[]): string[] {
  const lines: string[] = [];
  for (const t of new Set([...publish, ...read])) {
    const access =
      publish.includes(t) && read.includes(t) ? 'readwrite' : publish.includes(t) ? 'write' : 'read';
    lines.push(`topic ${access} ${t}`);
  }
  return lines;
}

/** The three files' text for `users` (sorted by name, so the output is stable). */
export function mosquittoFiles(
  users: Record<string, StoredUser>,
  setup: MosquittoSetup,
  dir: string,
): MosquittoFiles {
  const names = Object.keys(users).sort();
  const withoutHash = names.filter((n) => users[n]?.mosquitto === undefined);
  const passwd = names
    .filter((n) => !withoutHash.includes(n))
    .map((n) => `${n}:${users[n]?.mosquitto}\n`)
    .join('');

  const acl: string[] = [HEADER];
  if (setup.anonymous === 'viewer') {
    // Lines before any `user` apply to clients without a user name.
    acl.push('# Clients without a user name read as viewers (mqtt.anonymous: viewer).');
    acl.push(...topicLines([], rulesFor({ name: '', role: 'viewer' }, setup.baseTopic).read), '');
  }
  for (const name of names) {
    const user = users[name] as StoredUser;
    const rules = rulesFor(principal(name, user), setup.baseTopic);
    acl.push(`# ${user.role}`, `user ${name}`, ...topicLines(rules.publish, rules.read), '');
  }

  const conf = [
    HEADER.trimEnd(),
    `user ${setup.runAs}`,
    'per_listener_settings false',
    // Each state is a small packet: without it, Nagle's algorithm holds it for the subscriber's delayed ack.
    'set_tcp_nodelay true',
    `listener ${setup.port} ${setup.host}`,
    ...(setup.wsPort > 0 ? [`listener ${setup.wsPort} ${setup.host}`, 'protocol websockets'] : []),
    `allow_anonymous ${setup.anonymous === 'viewer'}`,
    `password_file ${join(dir, MOSQUITTO_FILE_NAMES.passwd)}`,
    `acl_file ${join(dir, MOSQUITTO_FILE_NAMES.acl)}`,
    // cobrew keeps nothing in the broker it could not rebuild: retained states are published again.
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    '',
  ].join('\n');
  return { passwd, acl: acl.join('\n'), conf, withoutHash };
}

/** Writes the three files into `dir`, each whole and readable by its owner only. */
export async function writeMosquittoFiles(
  users: Record<string, StoredUser>,
  setup: MosquittoSetup,
  dir: string,
): Promise<MosquittoFiles> {
  const files = mosquittoFiles(users, setup, dir);
  await writeSecretFile(join(dir, MOSQUITTO_FILE_NAMES.passwd), files.passwd);
  await writeSecretFile(join(dir, MOSQUITTO_FILE_NAMES.acl), files.acl);
  await writeSecretFile(join(dir, MOSQUITTO_FILE_NAMES.conf), files.conf);
  return files;
}

/** What to tell about users Mosquitto will not know, or null when there are none. */
export function withoutHashAdvice(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  return (
    `MQTT user(s) ${names.join(', ')} cannot log in to Mosquitto: their password was set before cobrew ` +
    'kept a Mosquitto hash. Set it again with `cobrew mqtt-user password <name> --password <pw>`.'
  );
}
