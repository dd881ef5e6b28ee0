// The audit log: every command a person sent a fermenter through the dashboard, who sent it, when, and how
// it ended. Listeners (the live feed) hear each entry as it is written.
import type { AuditResult } from './audit-results.js';
import type { Db } from './database.js';

export interface AuditEntry {
  id: number;
  /** Wall time, epoch ms. */
  at: number;
  user: string;
  fermenterId: string;
  command: Record<string, unknown>;
  result: AuditResult;
  /** Why it did not succeed, when it did not. */
  error: { code: string; message: string } | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  fermenterId?: string;
  from?: number;
  to?: number;
  limit: number;
}

interface Row {
  id: number;
  at: number;
  user_name: string;
  fermenter_id: string;
  command: string;
  result: AuditResult;
  error_code: string | null;
  error_message: string | null;
}

export class AuditLog {
  readonly #listeners = new Set<(entry: AuditEntry) => void>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  record(entry: NewAuditEntry): AuditEntry {
    const at = this.now();
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO audit_log (at, user_name, fermenter_id, command, result, error_code, error_message)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        at,
        entry.user,
        entry.fermenterId,
        JSON.stringify(entry.command),
        entry.result,
        entry.error?.code ?? null,
        entry.error?.message ?? null,
      );
    const written: AuditEntry = { id: Number(lastInsertRowid), at, ...entry };
    for (const listener of this.#listeners) listener(written);
    return written;
  }

  /** Newest first. */
  query(q: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.fermenterId !== undefined) {
      where.push('fermenter_id = ?');
      args.push(q.fermenterId);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at <= ?');
      args.push(q.to);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(...args, q.limit) as Row[];
    return rows.map(fromRow);
  }

  /** Returns the function that stops listening. */
  subscribe(listener: (entry: AuditEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function fromRow(r: Row): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    user: r.user_name,
    fermenterId: r.fermenter_id,
    command: JSON.parse(r.command) as Record<string, unknown>,
    result: r.result,
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
  };
}
