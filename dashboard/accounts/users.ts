// Dashboard users: a name, a role and a scrypt hash (broker/password.ts, the same scheme as MQTT users).
import { Value } from '@sinclair/typebox/value';
import {
  DEFAULT_COST,
  hashPassword,
  type PasswordHash,
  PasswordHashSchema,
  verifyPassword,
} from '../../broker/password.js';
import { isRole, ROLES, type Role } from '../../common/roles.js';
import type { Db } from './database.js';
import {
  PasswordTooShortError,
  RoleInvalidError,
  UserExistsError,
  UserNameInvalidError,
  UserUnknownError,
} from './errors.js';

export const MIN_PASSWORD_LENGTH = 8;
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

export interface User {
  name: string;
  role: Role;
}

export interface UserListing extends User {
  createdAt: number;
}

type Cost = { N: number; r: number; p: number };

export class UserStore {
  /** Checked against when the name is unknown, so that a login takes as long whether the name exists or not. */
  #decoy: Promise<PasswordHash> | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly cost: Cost = DEFAULT_COST,
  ) {}

  async add(name: string, role: string, password: string): Promise<User> {
    if (!NAME_PATTERN.test(name)) throw new UserNameInvalidError(JSON.stringify(name));
    if (!isRole(role)) throw new RoleInvalidError(JSON.stringify(role), ROLES.join(', '));
    if ([...password].length < MIN_PASSWORD_LENGTH) throw new PasswordTooShortError(MIN_PASSWORD_LENGTH);
    const hash = await hashPassword(password, this.cost);
    const inserted = this.db
      .prepare(
        'INSERT INTO users (name, role, password, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(name, role, JSON.stringify(hash), this.now());
    if (inserted.changes === 0) throw new UserExistsError(name);
    return { name, role };
  }

  remove(name: string): void {
    // Sessions go with the user (ON DELETE CASCADE): a removed user is logged out everywhere at once.
    const removed = this.db.prepare('DELETE FROM users WHERE name = ?').run(name);
    if (removed.changes === 0) throw new UserUnknownError(name);
  }

  list(): UserListing[] {
    const rows = this.db.prepare('SELECT name, role, created_at FROM users ORDER BY name').all() as Array<{
      name: string;
      role: Role;
      created_at: number;
    }>;
    return rows.map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** The user when the password is right, otherwise null; as slow for an unknown name as for a known one. */
  async verify(name: string, password: string): Promise<User | null> {
    const row = this.db.prepare('SELECT name, role, password FROM users WHERE name = ?').get(name) as
      | { name: string; role: string; password: string }
      | undefined;
    const stored = row === undefined ? undefined : parseHash(row.password);
    if (row === undefined || stored === undefined || !isRole(row.role)) {
      this.#decoy ??= hashPassword('decoy', this.cost);
      await verifyPassword(password, await this.#decoy);
      return null;
    }
    return (await verifyPassword(password, stored)) ? { name: row.name, role: row.role } : null;
  }
}

function parseHash(text: string): PasswordHash | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Value.Check(PasswordHashSchema, value) ? value : undefined;
  } catch {
    return undefined;
  }
}
