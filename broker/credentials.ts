// The MQTT users of the embedded broker, kept in <data dir>/mqtt-users.json: each user's role and the scrypt
// hash of its password, never the password itself. The broker rereads the file when it changes, so users
// added or removed with `cobrew mqtt-user` count from their next connection.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { withFileLock, writeSecretFile } from '../common/atomic-file.js';
import { type Principal, ROLES, type Role } from './acl.js';
import {
  MqttFermentersInvalidError,
  MqttPasswordEmptyError,
  MqttPasswordTooShortError,
  MqttRoleUnknownError,
  MqttUserExistsError,
  MqttUserNameInvalidError,
  MqttUserNotFoundError,
  MqttUsersFileInvalidError,
} from './credential-errors.js';
import {
  type CheckedPassword,
  DEFAULT_COST,
  hashPassword,
  isCheckedPassword,
  MOSQUITTO_HASH_PATTERN,
  mosquittoHash,
  PasswordHashSchema,
  randomPassword,
  verifyPassword,
} from './password.js';

/** The dashboard's MIN_PASSWORD_LENGTH (dashboard/ may not be imported from here). */
export const MIN_MQTT_PASSWORD_LENGTH = 8;

export const usersFile = (dataDir: string): string => join(dataDir, 'mqtt-users.json');

const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
// The fermenter id pattern of firmware-bridge/config-schema.ts.
const FermenterId = T.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' });
/** The same password in Mosquitto's format, for `cobrew mqtt-user mosquitto-config`; absent in older files. */
const MosquittoHash = T.Optional(T.String({ pattern: MOSQUITTO_HASH_PATTERN }));

const StoredUserSchema = T.Union([
  T.Object(
    {
      role: T.Literal('bridge'),
      fermenters: T.Array(FermenterId, { uniqueItems: true }),
      password: PasswordHashSchema,
      mosquitto: MosquittoHash,
    },
    { additionalProperties: false },
  ),
  T.Object(
    {
      role: T.Union([T.Literal('service'), T.Literal('viewer'), T.Literal('ispindel')]),
      password: PasswordHashSchema,
      mosquitto: MosquittoHash,
    },
    { additionalProperties: false },
  ),
]);
export type StoredUser = Static<typeof StoredUserSchema>;

const UsersFileSchema = T.Object(
  { version: T.Literal(1), users: T.Record(T.String({ pattern: USER_NAME.source }), StoredUserSchema) },
  { additionalProperties: false },
);
type UsersFile = Static<typeof UsersFileSchema>;

/** What `cobrew mqtt-user list` shows of a user. */
export interface MqttUser {
  name: string;
  role: Role;
  fermenters?: string[];
  /** Whether its password is also kept as Mosquitto reads it. */
  mosquitto: boolean;
}

/** A user as typed on the command line, before any check. */
export interface NewUser {
  name: string;
  role: string;
  password: string;
  fermenters?: readonly string[];
}

export async function readUsers(file: string): Promise<Record<string, StoredUser>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MqttUsersFileInvalidError(file, `it is not JSON (${(err as Error).message})`, { cause: err });
  }
  const problem = Value.Errors(UsersFileSchema, data).First();
  if (problem !== undefined) {
    throw new MqttUsersFileInvalidError(file, `${problem.path || '(top level)'}: ${problem.message}`);
  }
  return (data as UsersFile).users;
}

export async function listUsers(file: string): Promise<MqttUser[]> {
  const users = await readUsers(file);
  return Object.keys(users)
    .sort()
    .map((name) => describeUser(name, users[name] as StoredUser));
}

/** Checks and hashes a new user, then adds it; an existing name is refused. */
export async function addUser(
  file: string,
  input: NewUser,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<MqttUser> {
  const stored = await storedUser(input, cost);
  await changeUsers(file, async (users) => {
    if (Object.hasOwn(users, input.name)) throw new MqttUserExistsError(input.name, file, input.name);
    users[input.name] = stored;
    return true;
  });
  return describeUser(input.name, stored);
}

export async function removeUser(file: string, name: string): Promise<void> {
  await changeUsers(file, async (users) => {
    if (!Object.hasOwn(users, name)) throw new MqttUserNotFoundError(name, file);
    delete users[name];
    return true;
  });
}

/**
 * Reads the users, lets `change` edit them, and writes them back if it says it changed something, all under
 * the file's lock.
 */
export function changeUsers(
  file: string,
  change: (users: Record<string, StoredUser>) => Promise<boolean>,
): Promise<void> {
  return withFileLock(file, async () => {
    const users = await readUsers(file);
    if (await change(users)) {
      const data: UsersFile = { version: 1, users };
      await writeSecretFile(file, `${JSON.stringify(data, null, 2)}\n`);
    }
  });
}

/** A user name appears in topics (ispindel/<name>/…, <base>/bridge/<name>/…): it must be safe there. */
export function checkUserName(name: string): void {
  if (!USER_NAME.test(name)) throw new MqttUserNameInvalidError(JSON.stringify(name));
}

/** Validates what a person typed and hashes the password. */
async function storedUser(
  input: NewUser,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<StoredUser> {
  checkUserName(input.name);
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new MqttRoleUnknownError(JSON.stringify(input.role), ROLES.join(', '));
  }
  checkPassword(input.name, input.password);
  const fermenters = [...new Set(input.fermenters ?? [])];
  if (input.role === 'bridge') {
    if (fermenters.length === 0) {
      throw new MqttFermentersInvalidError(
        `MQTT user ${input.name} has the role bridge: name the fermenters it runs with --fermenters <id,id>.`,
      );
    }
    const bad = fermenters.filter((id) => !Value.Check(FermenterId, id));
    if (bad.length > 0) {
      throw new MqttFermentersInvalidError(
        `Fermenter id ${JSON.stringify(bad[0])} is not allowed: use 1 to 32 lower-case letters, digits, "_" or "-", ` +
          'as in cobrew.yaml.',
      );
    }
    return { role: 'bridge', fermenters, ...(await passwordHashes(input.password, cost)) };
  }
  if (fermenters.length > 0) {
    throw new MqttFermentersInvalidError(
      `Only a bridge runs fermenters; leave out --fermenters for the role ${input.role}.`,
    );
  }
  const role = input.role as 'service' | 'viewer' | 'ispindel';
  return { role, ...(await passwordHashes(input.password, cost)) };
}

/** Both hashes of a password: scrypt for the embedded broker, Mosquitto's own for a managed Mosquitto. */
export async function passwordHashes(
  password: string,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<{ password: StoredUser['password']; mosquitto: string }> {
  return { password: await hashPassword(password, cost), mosquitto: await mosquittoHash(password) };
}

/** Gives an existing user a new password (both hashes); its role and fermenters stay. */
export async function setUserPassword(
  file: string,
  name: string,
  password: string,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<void> {
  checkPassword(name, password);
  const hashes = await passwordHashes(password, cost);
  await changeUsers(file, async (users) => {
    const user = Object.hasOwn(users, name) ? users[name] : undefined;
    if (user === undefined) throw new MqttUserNotFoundError(name, file);
    users[name] = { ...user, ...hashes };
    return true;
  });
}

function checkPassword(name: string, password: string): void {
  if (password === '') throw new MqttPasswordEmptyError(name);
  // People's passwords are as strong as the dashboard's; cobrew's components get long generated ones.
  if ([...password].length < MIN_MQTT_PASSWORD_LENGTH)
    throw new MqttPasswordTooShortError(name, String(MIN_MQTT_PASSWORD_LENGTH));
}

function describeUser(name: string, user: StoredUser): MqttUser {
  const mosquitto = user.mosquitto !== undefined;
  return user.role === 'bridge'
    ? { name, role: user.role, fermenters: [...user.fermenters], mosquitto }
    : { name, role: user.role, mosquitto };
}

export type LoginResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'unknown user' | 'wrong password' };

/** Checks a user name and password against the file, rereading it whenever it has changed. */
export class UserDirectory {
  #cache: { key: string; users: Promise<Record<string, StoredUser>> } | null = null;
  #decoy: ReturnType<typeof hashPassword> | undefined;
  readonly #checked: ReadonlyMap<string, CheckedPassword>;

  /**
   * `checked`: the passwords of cobrew's own components, already checked against their stored hashes by this
   * process. Their clients log in without a scrypt each (on the way to the first published state) for as
   * long as the stored hash stays the one checked; every other login is checked with scrypt.
   */
  constructor(
    readonly file: string,
    checked: Readonly<Record<string, CheckedPassword>> = {},
  ) {
    this.#checked = new Map(Object.entries(checked));
  }

  async login(name: string, password: string): Promise<LoginResult> {
    const users = await this.#users();
    const user = Object.hasOwn(users, name) ? users[name] : undefined;
    if (user === undefined) {
      // Spend the same time as for a real user, so that answers do not tell which names exist.
      this.#decoy ??= hashPassword(randomPassword());
      await verifyPassword(password, await this.#decoy);
      return { ok: false, reason: 'unknown user' };
    }
    const checked = this.#checked.get(name);
    const known = checked !== undefined && isCheckedPassword(password, user.password, checked);
    if (!known && !(await verifyPassword(password, user.password))) {
      return { ok: false, reason: 'wrong password' };
    }
    const principal: Principal =
      user.role === 'bridge'
        ? { name, role: 'bridge', fermenters: user.fermenters }
        : { name, role: user.role };
    return { ok: true, principal };
  }

  async #users(): Promise<Record<string, StoredUser>> {
    const s = await stat(this.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const key = s === null ? 'missing' : `${s.ino}:${s.size}:${s.mtimeMs}`;
    if (this.#cache?.key !== key) {
      const users = readUsers(this.file);
      // A failed read is not kept: the next login tries again.
      users.catch(() => {
        if (this.#cache?.users === users) this.#cache = null;
      });
      this.#cache = { key, users };
    }
    return this.#cache.users;
  }
}
