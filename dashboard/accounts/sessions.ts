// Server-side sessions. The browser holds a random id; the database holds only its SHA-256, so a copy of the
// database opens no session. Each session carries its CSRF token. A session ends after a week without use,
// and a month after login in any case.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../common/roles.js';
import { sameSecret } from '../../common/same-secret.js';
import type { Db } from './database.js';
import type { User } from './users.js';

export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
export const SESSION_MAX_MS = 30 * 24 * 3600_000;
/** A session's expiry is pushed back at most this often, so that reads do not each cost a write. */
const RENEW_AFTER_MS = 3600_000;

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: number;
}

export interface NewSession extends Session {
  /** Goes in the cookie; never stored. */
  id: string;
}

const token = () => randomBytes(32).toString('base64url');
const digest = (id: string) => createHash('sha256').update(id).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: User): NewSession {
    const id = token();
    const csrfToken = token();
    const createdAt = this.now();
    const expiresAt = createdAt + SESSION_IDLE_MS;
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(digest(id), user.name, csrfToken, createdAt, expiresAt);
    this.#purgeExpired();
    return { id, user, csrfToken, expiresAt };
  }

  /**
   * The live session of this id with its user's current role, or null. `renewed` says that the expiry moved,
   * so the cookie should be sent again.
   */
  lookup(id: string): (Session & { renewed: boolean }) | null {
    const row = this.db
      .prepare(
        `SELECT s.csrf_token, s.created_at, s.expires_at, u.name, u.role
           FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.id_hash = ?`,
      )
      .get(digest(id)) as
      | { csrf_token: string; created_at: number; expires_at: number; name: string; role: Role }
      | undefined;
    if (row === undefined) return null;
    const now = this.now();
    if (now >= row.expires_at) {
      this.destroy(id);
      return null;
    }
    const wanted = Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_MS);
    const renewed = wanted - row.expires_at >= RENEW_AFTER_MS;
    if (renewed) {
      this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(wanted, digest(id));
    }
    return {
      user: { name: row.name, role: row.role },
      csrfToken: row.csrf_token,
      expiresAt: renewed ? wanted : row.expires_at,
      renewed,
    };
  }

  destroy(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(digest(id));
  }

  #purgeExpired(): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now());
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokenMatches(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && sameSecret(presented, expected);
}
