// The accounts core as the rest of the dashboard uses it: one database, its stores, and the login limiter.
import { AuditLog } from './audit.js';
import { type Db, openAccountsDb } from './database.js';
import { LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './login-limiter.js';
import { SessionStore } from './sessions.js';
import { UserStore } from './users.js';

export interface AccountsOptions {
  dataDir: string;
  /** Wall clock, epoch ms. */
  now?: () => number;
  /** scrypt cost of new passwords; tests lower it. */
  cost?: { N: number; r: number; p: number };
  loginLimits?: LoginLimits;
}

export interface Accounts {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly limiter: LoginLimiter;
  close(): void;
}

export function openAccounts(opts: AccountsOptions): Accounts {
  const now = opts.now ?? Date.now;
  const db: Db = openAccountsDb(opts.dataDir);
  return {
    users: new UserStore(db, now, opts.cost),
    sessions: new SessionStore(db, now),
    audit: new AuditLog(db, now),
    limiter: new LoginLimiter(opts.loginLimits ?? LOGIN_LIMITS, now),
    close: () => db.close(),
  };
}
