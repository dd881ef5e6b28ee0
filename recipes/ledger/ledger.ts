// The contribution ledger: append-only. This module has no way to change or remove an event, and the
// database refuses it too (triggers in recipes/commons/db.ts). Events are numbered in the order they were
// recorded (`seq`); `at` is when the contribution was made.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../commons/db.js';
import { type AppliedRule, applyRule, type ContributionKind, type Weights } from './rules.js';

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
}

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
});

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
    return row === undefined ? null : fromRow(row);
  }

  /** Appends an event that may happen any number of times (a review, a translation…). */
  add(e: Omit<NewEvent, 'onceKey'>): LedgerEvent {
    // Without a onceKey there is nothing to conflict with: the insert always returns its row.
    return this.record(e) as LedgerEvent;
  }

  list(filter: LedgerFilter = {}): { events: LedgerEvent[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.contributor !== undefined) {
      where.push('contributor = @contributor');
      params.contributor = filter.contributor;
    }
    if (filter.kind !== undefined) {
      where.push('kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.recipeId !== undefined) {
      where.push('recipe_id = @recipeId');
      params.recipeId = filter.recipeId;
    }
    if (filter.versionIds !== undefined) {
      where.push('version_id IN (SELECT value FROM json_each(@versionIds))');
      params.versionIds = JSON.stringify(filter.versionIds);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (
      this.#db.prepare(`SELECT count(*) AS n FROM ledger ${clause}`).get(params) as { n: number }
    ).n;
    const rows = this.#db
      .prepare(`SELECT * FROM ledger ${clause} ORDER BY seq LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as Row[];
    return { events: rows.map(fromRow), total };
  }

  /** Each contributor with their number of events and points, most points first. */
  contributors(): Array<{ name: string; events: number; points: number; first: number; last: number }> {
    return this.#db
      .prepare(
        `SELECT contributor AS name, count(*) AS events, sum(weight) AS points, min(at) AS first, max(at) AS last
         FROM ledger GROUP BY contributor ORDER BY points DESC, name`,
      )
      .all() as Array<{ name: string; events: number; points: number; first: number; last: number }>;
  }
}
