// <data dir>/alerts.db: every alert, every delivery (the durable outgoing queue), each person's contact,
// and the rota and the space's default channels as admins edited them. SQLite in WAL mode: a delivery is
// written before it is sent, and its idempotency key (alert, purpose, level, person, channel) is unique, so
// a restart resends what was not confirmed and never queues the same message twice.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { boundPageCache } from '../common/sqlite-cache.js';
import type { RotaSlot } from './config-schema.js';
import { type Contact, NO_CONTACT, type SpaceDefaults } from './contact-schema.js';
import { AlertsOpenError } from './errors.js';
import type { AlertKind, ChannelKind, Condition, Facts, Severity } from './model.js';

export const ALERTS_DB_FILE_NAME = 'alerts.db';

export type AlertStatus = 'open' | 'clearing' | 'resolved';
export type Purpose = 'raise' | 'escalate' | 'resolve' | 'test';
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface AlertRecord {
  id: string;
  key: string;
  kind: AlertKind;
  severity: Severity;
  fermenterId: string | null;
  facts: Facts;
  notifyResolved: boolean;
  raisedAt: number;
  status: AlertStatus;
  clearedAt: number | null;
  resolvedAt: number | null;
  flaps: number;
  level: number;
  nextEscalationAt: number | null;
  told: string[];
  ackedBy: string | null;
  ackedAt: number | null;
  ackedVia: 'dashboard' | 'link' | null;
}

/** What a channel sends, rendered when the delivery is queued. */
export interface OutgoingMessage {
  alertId: string;
  purpose: Purpose;
  kind: AlertKind;
  severity: Severity;
  fermenterId: string | null;
  lang: 'fr' | 'en';
  title: string;
  text: string;
  link: string;
  ackUrl: string | null;
  at: number;
}

export interface DeliveryRecord {
  id: number;
  idemKey: string;
  alertId: string;
  user: string;
  channel: ChannelKind;
  purpose: Purpose;
  message: OutgoingMessage;
  status: DeliveryStatus;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

const TABLES = `
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  fermenter_id TEXT,
  facts TEXT NOT NULL,
  notify_resolved INTEGER NOT NULL,
  raised_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  cleared_at INTEGER,
  resolved_at INTEGER,
  flaps INTEGER NOT NULL DEFAULT 0,
  level INTEGER NOT NULL DEFAULT 0,
  next_escalation_at INTEGER,
  told TEXT NOT NULL DEFAULT '[]',
  acked_by TEXT,
  acked_at INTEGER,
  acked_via TEXT
);
CREATE INDEX IF NOT EXISTS alerts_live ON alerts(status, key);
CREATE INDEX IF NOT EXISTS alerts_time ON alerts(raised_at);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idem_key TEXT NOT NULL UNIQUE,
  alert_id TEXT NOT NULL REFERENCES alerts(id),
  user_name TEXT NOT NULL,
  channel TEXT NOT NULL,
  purpose TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(status, next_at);
CREATE INDEX IF NOT EXISTS deliveries_alert ON deliveries(alert_id);
CREATE INDEX IF NOT EXISTS deliveries_rate ON deliveries(user_name, channel, sent_at);
CREATE TABLE IF NOT EXISTS contacts (user_name TEXT PRIMARY KEY COLLATE NOCASE, contact TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface AlertRow {
  id: string;
  key: string;
  kind: AlertKind;
  severity: Severity;
  fermenter_id: string | null;
  facts: string;
  notify_resolved: number;
  raised_at: number;
  status: AlertStatus;
  cleared_at: number | null;
  resolved_at: number | null;
  flaps: number;
  level: number;
  next_escalation_at: number | null;
  told: string;
  acked_by: string | null;
  acked_at: number | null;
  acked_via: 'dashboard' | 'link' | null;
}

interface DeliveryRow {
  id: number;
  idem_key: string;
  alert_id: string;
  user_name: string;
  channel: ChannelKind;
  purpose: Purpose;
  message: string;
  status: DeliveryStatus;
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export class AlertStore {
  readonly #db: Database.Database;

  constructor(dataDir: string) {
    const file = join(dataDir, ALERTS_DB_FILE_NAME);
    try {
      mkdirSync(dataDir, { recursive: true });
      this.#db = new Database(file);
      // Webhook secrets and tokens live here: only the owner reads the file.
      chmodSync(file, 0o600);
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.pragma('busy_timeout = 5000');
      boundPageCache(this.#db);
      this.#db.exec(TABLES);
    } catch (err) {
      throw new AlertsOpenError(file, (err as Error).message);
    }
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `fn` in one transaction: an alert and its deliveries are written together or not at all. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /** The secret that signs acknowledgement links, made on first use and kept. */
  ackSecret(): Buffer {
    const row = this.#db.prepare("SELECT value FROM settings WHERE name = 'ack-secret'").get() as
      | { value: string }
      | undefined;
    if (row !== undefined) return Buffer.from(row.value, 'base64');
    const secret = randomBytes(32);
    this.#db
      .prepare("INSERT OR IGNORE INTO settings (name, value) VALUES ('ack-secret', ?)")
      .run(secret.toString('base64'));
    return this.ackSecret();
  }

  /** The rota as admins last saved it, or null when it was never edited (cobrew.yaml's then applies). */
  savedRota(): RotaSlot[] | null {
    const row = this.#db.prepare("SELECT value FROM settings WHERE name = 'rota'").get() as
      | { value: string }
      | undefined;
    return row === undefined ? null : (JSON.parse(row.value) as RotaSlot[]);
  }

  saveRota(rota: readonly RotaSlot[]): void {
    this.#put('rota', rota);
  }

  /** The space's default channels as admins last saved them, or null (cobrew.yaml's then apply). */
  savedDefaults(): SpaceDefaults | null {
    const row = this.#db.prepare("SELECT value FROM settings WHERE name = 'defaults'").get() as
      | { value: string }
      | undefined;
    return row === undefined ? null : (JSON.parse(row.value) as SpaceDefaults);
  }

  saveDefaults(defaults: SpaceDefaults): void {
    this.#put('defaults', defaults);
  }

  #put(name: string, value: unknown): void {
    this.#db
      .prepare(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      )
      .run(name, JSON.stringify(value));
  }

  contact(user: string): Contact {
    const row = this.#db.prepare('SELECT contact FROM contacts WHERE user_name = ?').get(user) as
      | { contact: string }
      | undefined;
    return row === undefined ? structuredClone(NO_CONTACT) : (JSON.parse(row.contact) as Contact);
  }

  saveContact(user: string, contact: Contact): void {
    this.#db
      .prepare(
        'INSERT INTO contacts (user_name, contact) VALUES (?, ?) ON CONFLICT(user_name) DO UPDATE SET contact = excluded.contact',
      )
      .run(user, JSON.stringify(contact));
  }

  /** The alert of a condition that has not been resolved yet, if any. */
  live(key: string): AlertRecord | null {
    const row = this.#db.prepare("SELECT * FROM alerts WHERE key = ? AND status != 'resolved'").get(key) as
      | AlertRow
      | undefined;
    return row === undefined ? null : alertOf(row);
  }

  liveAlerts(): AlertRecord[] {
    return (
      this.#db
        .prepare("SELECT * FROM alerts WHERE status != 'resolved' ORDER BY raised_at")
        .all() as AlertRow[]
    ).map(alertOf);
  }

  alert(id: string): AlertRecord | null {
    const row = this.#db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row === undefined ? null : alertOf(row);
  }

  /** Newest first. */
  recent(limit: number): AlertRecord[] {
    return (
      this.#db
        .prepare('SELECT * FROM alerts ORDER BY raised_at DESC, rowid DESC LIMIT ?')
        .all(limit) as AlertRow[]
    ).map(alertOf);
  }

  insertAlert(c: Condition, id: string): AlertRecord {
    this.#db
      .prepare(
        `INSERT INTO alerts (id, key, kind, severity, fermenter_id, facts, notify_resolved, raised_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
      )
      .run(
        id,
        c.key,
        c.kind,
        c.severity,
        c.fermenterId,
        JSON.stringify(c.facts),
        c.notifyResolved ? 1 : 0,
        c.at,
      );
    return this.alert(id) as AlertRecord;
  }

  updateAlert(
    id: string,
    change: Partial<
      Pick<
        AlertRecord,
        | 'status'
        | 'clearedAt'
        | 'resolvedAt'
        | 'flaps'
        | 'level'
        | 'nextEscalationAt'
        | 'told'
        | 'ackedBy'
        | 'ackedAt'
        | 'ackedVia'
      >
    >,
  ): void {
    const columns: Record<string, string> = {
      status: 'status',
      clearedAt: 'cleared_at',
      resolvedAt: 'resolved_at',
      flaps: 'flaps',
      level: 'level',
      nextEscalationAt: 'next_escalation_at',
      told: 'told',
      ackedBy: 'acked_by',
      ackedAt: 'acked_at',
      ackedVia: 'acked_via',
    };
    const entries = Object.entries(change);
    if (entries.length === 0) return;
    const sets = entries.map(([k]) => `${columns[k]} = ?`).join(', ');
    const values = entries.map(([k, v]) =>
      k === 'told' ? JSON.stringify(v) : (v as string | number | null),
    );
    this.#db.prepare(`UPDATE alerts SET ${sets} WHERE id = ?`).run(...values, id);
  }

  /** Queues one message; false when the same idempotency key was queued before. */
  enqueue(d: {
    idemKey: string;
    alertId: string;
    user: string;
    channel: ChannelKind;
    purpose: Purpose;
    message: OutgoingMessage;
    nextAt: number;
    createdAt: number;
  }): boolean {
    const r = this.#db
      .prepare(
        `INSERT INTO deliveries (idem_key, alert_id, user_name, channel, purpose, message, status, next_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT(idem_key) DO NOTHING`,
      )
      .run(
        d.idemKey,
        d.alertId,
        d.user,
        d.channel,
        d.purpose,
        JSON.stringify(d.message),
        d.nextAt,
        d.createdAt,
      );
    return r.changes === 1;
  }

  /** Pending deliveries due at `now`, oldest first. */
  due(now: number, limit: number): DeliveryRecord[] {
    return (
      this.#db
        .prepare(
          "SELECT * FROM deliveries WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
        )
        .all(now, limit) as DeliveryRow[]
    ).map(deliveryOf);
  }

  /** When the next pending delivery is due, or null when none waits. */
  nextDue(): number | null {
    const row = this.#db
      .prepare("SELECT min(next_at) AS at FROM deliveries WHERE status = 'pending'")
      .get() as { at: number | null };
    return row.at;
  }

  pendingCount(): number {
    return (
      this.#db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'").get() as { n: number }
    ).n;
  }

  deliveriesOf(alertId: string): DeliveryRecord[] {
    return (
      this.#db
        .prepare('SELECT * FROM deliveries WHERE alert_id = ? ORDER BY id')
        .all(alertId) as DeliveryRow[]
    ).map(deliveryOf);
  }

  /** Send times, oldest first, of one person's messages on one channel after `since`: the rate limit. */
  sentSince(user: string, channel: ChannelKind, since: number): number[] {
    return (
      this.#db
        .prepare(
          "SELECT sent_at FROM deliveries WHERE user_name = ? AND channel = ? AND status = 'sent' AND sent_at > ? ORDER BY sent_at",
        )
        .all(user, channel, since) as Array<{ sent_at: number }>
    ).map((r) => r.sent_at);
  }

  /**
   * Takes a due delivery for one sender until `until`: false when another process (a running cobrew, or
   * `cobrew alert test`) took it first. A sender that dies mid-send leaves it to be retried after `until`.
   */
  claim(d: DeliveryRecord, until: number): boolean {
    return (
      this.#db
        .prepare("UPDATE deliveries SET next_at = ? WHERE id = ? AND status = 'pending' AND next_at = ?")
        .run(until, d.id, d.nextAt).changes === 1
    );
  }

  /** Everyone who saved alert settings. */
  contactNames(): string[] {
    return (
      this.#db.prepare('SELECT user_name FROM contacts ORDER BY user_name').all() as Array<{
        user_name: string;
      }>
    ).map((r) => r.user_name);
  }

  markSent(id: number, at: number): void {
    this.#db
      .prepare(
        "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?",
      )
      .run(at, id);
  }

  /** A failed attempt: tried again at `nextAt`, or given up (`nextAt` null). */
  markFailed(id: number, error: string, nextAt: number | null, counts = true): void {
    if (nextAt === null)
      this.#db
        .prepare(
          "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
        )
        .run(error, id);
    else
      this.#db
        .prepare('UPDATE deliveries SET attempts = attempts + ?, next_at = ?, last_error = ? WHERE id = ?')
        .run(counts ? 1 : 0, nextAt, error, id);
  }

  cancel(id: number, reason: string): void {
    this.#db
      .prepare("UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE id = ?")
      .run(reason, id);
  }
}

function alertOf(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    severity: r.severity,
    fermenterId: r.fermenter_id,
    facts: JSON.parse(r.facts) as Facts,
    notifyResolved: r.notify_resolved === 1,
    raisedAt: r.raised_at,
    status: r.status,
    clearedAt: r.cleared_at,
    resolvedAt: r.resolved_at,
    flaps: r.flaps,
    level: r.level,
    nextEscalationAt: r.next_escalation_at,
    told: JSON.parse(r.told) as string[],
    ackedBy: r.acked_by,
    ackedAt: r.acked_at,
    ackedVia: r.acked_via,
  };
}

function deliveryOf(r: DeliveryRow): DeliveryRecord {
  return {
    id: r.id,
    idemKey: r.idem_key,
    alertId: r.alert_id,
    user: r.user_name,
    channel: r.channel,
    purpose: r.purpose,
    message: JSON.parse(r.message) as OutgoingMessage,
    status: r.status,
    attempts: r.attempts,
    nextAt: r.next_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
