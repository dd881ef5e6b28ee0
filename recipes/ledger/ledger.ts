// The contribution ledger: append-only. This module has no way to change or remove an event, and the
// database refuses it too (triggers in recipes/commons/db.ts). Events are numbered in the order they were
// recorded (`seq`); `at` is when the contribution was made.
//
// The community's rule: a contribution someone records for themselves counts only once another person (a
// brewer or an admin) confirms it. Until then it is `pending`: listed, but worth no points in totals or pot
// splits. Confirmations are appended beside the event, which never changes.
//
// Private stays private: an event about a recipe the viewer may not see is listed as a placeholder (`private`)
// with no contributor, recipe, version, reference or time, and counts in no one's total shown to that viewer.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../commons/db.js';
import { LedgerConfirmError, LedgerEventNotFoundError } from '../commons/errors.js';
import type { Viewer } from '../commons/types.js';
import {
  type AppliedRule,
  AUTOMATIC_KINDS,
  applyRule,
  type ContributionKind,
  type Weights,
} from './rules.js';

export interface LedgerEvent {
  seq: number;
  id: string;
  at: number;
  recordedAt: number;
  contributor: string;
  kind: ContributionKind;
  recipeId: string | null;
  versionId: string | null;
  brewlogId: string | null;
  /** Free reference given with the contribution (a link, a file name); untrusted text. */
  reference: string;
  note: string;
  weight: number;
  rule: AppliedRule;
  /** The space where the contribution was made. */
  space: string;
  /** Who put it in the ledger: the contributor, the commons itself ("cobrew"), or a brewer or admin. */
  recordedBy: string;
  /** Recorded by the contributors themselves and not yet confirmed by another person: counts for nothing. */
  pending: boolean;
  /** Who confirmed a self-recorded event. */
  confirmedBy: string | null;
}

/** An event about a recipe the viewer may not see: only its place in the ledger and its kind. */
export interface PrivateLedgerEvent {
  seq: number;
  private: true;
  kind: ContributionKind;
}

export interface NewEvent {
  contributor: string;
  kind: ContributionKind;
  /** When the contribution was made; now by default. */
  at?: number;
  recipeId?: string | null;
  versionId?: string | null;
  brewlogId?: string | null;
  reference?: string;
  note?: string;
  recordedBy: string;
  /** Another space's name, for contributions that arrive in a bundle. */
  space?: string;
  /** Set for events that may happen only once (a version authored); a second record is ignored. */
  onceKey?: string;
}

/** The once-only keys of the events the commons records itself, wherever they are recorded from. */
export const onceKey = {
  version: (versionId: string) => `version:${versionId}`,
  brewlog: (brewlogId: string) => `brewlog:${brewlogId}`,
  profile: (profileVersionId: string) => `profile:${profileVersionId}`,
};

export interface LedgerFilter {
  contributor?: string;
  kind?: ContributionKind;
  recipeId?: string;
  versionIds?: readonly string[];
  limit?: number;
  offset?: number;
}

/** The whole space (command line, pot splits): sees every event. */
const EVERYONE: Viewer = { name: '', admin: true };

interface Row {
  seq: number;
  id: string;
  at: number;
  recorded_at: number;
  contributor: string;
  kind: ContributionKind;
  recipe_id: string | null;
  version_id: string | null;
  brewlog_id: string | null;
  reference: string;
  note: string;
  weight: number;
  rule: string;
  space: string;
  recorded_by: string;
  confirmed_by: string | null;
  hidden: 0 | 1;
}

/** Recorded by hand by the contributor (not by the commons itself, whatever the name). */
const isSelfRecorded = (r: { recorded_by: string; contributor: string; kind: ContributionKind }) =>
  r.recorded_by === r.contributor && !AUTOMATIC_KINDS.includes(r.kind);

/** Self-recorded and unconfirmed, over the row `l` joined with its confirmation `c`. */
const PENDING = `(l.recorded_by = l.contributor AND l.kind NOT IN (${AUTOMATIC_KINDS.map((k) => `'${k}'`).join(', ')})
  AND c.event_id IS NULL)`;

/**
 * The row's recipe is private and not the viewer's (parameters @viewer, @admin; `r` is the recipe, NULL for
 * an event about no recipe, which is never hidden).
 */
const HIDDEN = `COALESCE(r.visibility = 'private' AND r.owner IS NOT @viewer AND @admin = 0, 0)`;

const FROM = `FROM ledger l LEFT JOIN ledger_confirmations c ON c.event_id = l.id
  LEFT JOIN recipes r ON r.id = l.recipe_id`;

const fromRow = (r: Row): LedgerEvent => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  recordedAt: r.recorded_at,
  contributor: r.contributor,
  kind: r.kind,
  recipeId: r.recipe_id,
  versionId: r.version_id,
  brewlogId: r.brewlog_id,
  reference: r.reference,
  note: r.note,
  weight: r.weight,
  rule: JSON.parse(r.rule) as AppliedRule,
  space: r.space,
  recordedBy: r.recorded_by,
  pending: isSelfRecorded(r) && r.confirmed_by === null,
  confirmedBy: r.confirmed_by,
});

const viewerParams = (viewer: Viewer) => ({ viewer: viewer.name, admin: viewer.admin ? 1 : 0 });

export interface LedgerOptions {
  db: Db;
  clock: Clock;
  /** The rule table in force (cobrew.yaml's commons.weights). */
  weights: Weights;
  /** This space's name. */
  space: string;
}

export class Ledger {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly weights: Weights;
  readonly #space: string;

  constructor(opts: LedgerOptions) {
    this.#db = opts.db;
    this.#clock = opts.clock;
    this.weights = opts.weights;
    this.#space = opts.space;
  }

  /** Appends an event weighed with today's rules; null when its `onceKey` was already recorded. */
  record(e: NewEvent): LedgerEvent | null {
    const now = this.#clock.now();
    const rule = applyRule(this.weights, e.kind);
    const row = this.#db
      .prepare(
        `INSERT INTO ledger (id, at, recorded_at, contributor, kind, recipe_id, version_id, brewlog_id, reference,
           note, weight, rule, space, recorded_by, once_key)
         VALUES (@id, @at, @recordedAt, @contributor, @kind, @recipeId, @versionId, @brewlogId, @reference, @note,
           @weight, @rule, @space, @recordedBy, @onceKey)
         ON CONFLICT (once_key) DO NOTHING
         RETURNING *`,
      )
      .get({
        id: randomUUID(),
        at: e.at ?? now,
        recordedAt: now,
        contributor: e.contributor,
        kind: e.kind,
        recipeId: e.recipeId ?? null,
        versionId: e.versionId ?? null,
        brewlogId: e.brewlogId ?? null,
        reference: e.reference ?? '',
        note: e.note ?? '',
        weight: rule.weight,
        rule: JSON.stringify(rule),
        space: e.space ?? this.#space,
        recordedBy: e.recordedBy,
        onceKey: e.onceKey ?? null,
      }) as Row | undefined;
    return row === undefined ? null : fromRow({ ...row, confirmed_by: null, hidden: 0 });
  }

  /** Appends an event that may happen any number of times (a review, a translation…). */
  add(e: Omit<NewEvent, 'onceKey'>): LedgerEvent {
    // Without a onceKey there is nothing to conflict with: the insert always returns its row.
    return this.record(e) as LedgerEvent;
  }

  /** Every event the whole space sees, in the order recorded (pot splits, the command line). */
  list(filter: LedgerFilter = {}): { events: LedgerEvent[]; total: number } {
    return this.view(filter, EVERYONE) as { events: LedgerEvent[]; total: number };
  }

  /**
   * Events as `viewer` may see them. Unfiltered, an event about a private recipe shows as a placeholder;
   * filtered (by contributor, kind or recipe), it is left out, as a placeholder there would say whose it is.
   */
  view(
    filter: LedgerFilter,
    viewer: Viewer,
  ): { events: Array<LedgerEvent | PrivateLedgerEvent>; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = viewerParams(viewer);
    if (filter.contributor !== undefined) {
      where.push('l.contributor = @contributor');
      params.contributor = filter.contributor;
    }
    if (filter.kind !== undefined) {
      where.push('l.kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.recipeId !== undefined) {
      where.push('l.recipe_id = @recipeId');
      params.recipeId = filter.recipeId;
    }
    if (filter.versionIds !== undefined) {
      where.push('l.version_id IN (SELECT value FROM json_each(@versionIds))');
      params.versionIds = JSON.stringify(filter.versionIds);
    }
    if (where.length > 0) where.push(`NOT ${HIDDEN}`);
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (this.#db.prepare(`SELECT count(*) AS n ${FROM} ${clause}`).get(params) as { n: number }).n;
    const rows = this.#db
      .prepare(
        `SELECT l.*, c.confirmed_by, ${HIDDEN} AS hidden ${FROM} ${clause}
         ORDER BY l.seq LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as Row[];
    const events = rows.map((r): LedgerEvent | PrivateLedgerEvent =>
      r.hidden === 1 ? { seq: r.seq, private: true, kind: r.kind } : fromRow(r),
    );
    return { events, total };
  }

  /**
   * Confirms an event its contributor recorded for themselves, so that it counts. `by` must be someone else
   * (the caller has checked the role: a brewer or an admin).
   */
  confirm(eventId: string, by: Viewer): LedgerEvent {
    // Read and written in one immediate transaction: two people confirming at once make one confirmation.
    return this.#db
      .transaction(() => {
        const row = this.#db
          .prepare(`SELECT l.*, c.confirmed_by, ${HIDDEN} AS hidden ${FROM} WHERE l.id = @id`)
          .get({ id: eventId, ...viewerParams(by) }) as Row | undefined;
        if (row === undefined || row.hidden === 1) throw new LedgerEventNotFoundError(eventId);
        const event = fromRow(row);
        if (event.contributor === by.name) {
          throw new LedgerConfirmError('it is your own contribution: another brewer or an admin confirms it');
        }
        if (!event.pending) {
          throw new LedgerConfirmError(
            event.confirmedBy === null
              ? `${event.recordedBy} recorded it for ${event.contributor}, so it counts already`
              : `${event.confirmedBy} confirmed it already`,
          );
        }
        this.#db
          .prepare('INSERT INTO ledger_confirmations (event_id, confirmed_by, confirmed_at) VALUES (?, ?, ?)')
          .run(eventId, by.name, this.#clock.now());
        return { ...event, pending: false, confirmedBy: by.name };
      })
      .immediate();
  }

  /**
   * Each contributor with their number of events and points (pending events count none), most points first;
   * events about recipes the viewer may not see are left out.
   */
  contributors(
    viewer: Viewer = EVERYONE,
  ): Array<{ name: string; events: number; points: number; first: number; last: number }> {
    return this.#db
      .prepare(
        `SELECT l.contributor AS name, count(*) AS events,
           sum(CASE WHEN ${PENDING} THEN 0 ELSE l.weight END) AS points, min(l.at) AS first, max(l.at) AS last
         ${FROM} WHERE NOT ${HIDDEN} GROUP BY l.contributor ORDER BY points DESC, name`,
      )
      .all(viewerParams(viewer)) as Array<{
      name: string;
      events: number;
      points: number;
      first: number;
      last: number;
    }>;
  }
}
