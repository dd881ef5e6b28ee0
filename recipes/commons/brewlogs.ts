// Brew logs: a batch brewed from a recipe version. The log copies the version's document when it is opened
// (what was brewed never changes after), links a fermenter and a time range (the sensor history stays in
// the history store: the log keeps the link, not the data), and holds gravity readings and notes. Private
// logs are seen by their brewer (and a batch's co-brewers) and admins only; publishing one is a ledger
// contribution. An open log with a fermenter is a batch (batches.ts): one per fermenter.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { type Ledger, onceKey } from '../ledger/ledger.js';
import { asBrewedDocument } from './as-brewed.js';
import type { Db } from './db.js';
import { BrewLogInvalidError, BrewLogNotFoundError, ForbiddenError, ReadingNotFoundError } from './errors.js';
import { checkFermenterFree } from './occupancy.js';
import type {
  BrewLog,
  BrewLogSummary,
  GravityReading,
  Origin,
  ReadingSource,
  RecipeDetail,
  Version,
  Viewer,
  Visibility,
} from './types.js';

/** What brew logs use of the commons store, which hands itself over. */
export interface BrewLogHost {
  readonly db: Db;
  readonly clock: Clock;
  readonly ledger: Ledger;
  getRecipe(id: string, viewer: Viewer | null): RecipeDetail;
  getVersionById(id: string, viewer: Viewer | null): Version;
  originOf(id: string | null, name: string | null, url: string | null): Origin;
}

export interface NewBrewLog {
  versionId: string;
  name?: string;
  fermenterId?: string | null;
  startedAt: number;
  endedAt?: number | null;
  notes?: string;
  visibility?: Visibility;
}

export type BrewLogChanges = Partial<
  Pick<BrewLog, 'name' | 'fermenterId' | 'startedAt' | 'endedAt' | 'notes' | 'visibility'>
>;

export interface NewReading {
  at: number;
  gravity: number;
  source?: ReadingSource;
  note?: string;
}

export interface BrewLogQuery {
  recipeId?: string;
  versionId?: string;
  fermenterId?: string;
  brewer?: string;
}

/** Plausible specific gravities for wort and beer; outside is a typo (e.g. 1048 for 1.048). */
export const GRAVITY_MIN = 0.98;
export const GRAVITY_MAX = 1.2;

export interface BrewLogRow {
  id: string;
  version_id: string;
  snapshot: string;
  name: string;
  brewer: string;
  fermenter_id: string | null;
  started_at: number;
  ended_at: number | null;
  notes: string;
  visibility: Visibility;
  created_at: number;
  updated_at: number;
  origin_id: string | null;
  origin_name: string | null;
  origin_url: string | null;
  recipe_id: string;
  version_number: number;
  recipe_title: string;
  recipe_visibility: Visibility;
}

interface ReadingRow {
  id: string;
  at: number;
  gravity: number;
  source: ReadingSource;
  note: string;
  recorded_by: string;
}

const SELECT = `
SELECT b.*, v.recipe_id, v.number AS version_number, r.visibility AS recipe_visibility,
  (SELECT title FROM versions WHERE recipe_id = v.recipe_id ORDER BY number DESC LIMIT 1) AS recipe_title
FROM brewlogs b JOIN versions v ON v.id = b.version_id JOIN recipes r ON r.id = v.recipe_id`;

/** A public log of a private recipe (imported before that was refused) shows only to those it concerns. */
const VISIBLE = `((b.visibility = 'public' AND (r.visibility = 'public' OR r.owner = @viewer))
  OR b.brewer = @viewer OR @admin = 1 OR EXISTS
  (SELECT 1 FROM batch_cobrewers c WHERE c.brewlog_id = b.id AND c.name = @viewer))`;

export class BrewLogs {
  readonly #store: BrewLogHost;

  constructor(store: BrewLogHost) {
    this.#store = store;
  }

  get #db() {
    return this.#store.db;
  }

  /** Opens a log for a version the viewer may see; the viewer is its brewer. */
  create(input: NewBrewLog, viewer: Viewer): BrewLog {
    const version = this.#store.getVersionById(input.versionId, viewer);
    const recipe = this.#store.getRecipe(version.recipeId, viewer);
    const visibility = input.visibility ?? 'private';
    checkRange(input.startedAt, input.endedAt ?? null);
    if (visibility === 'public') this.#checkPublishable(recipe.visibility, recipe.id);
    const id = randomUUID();
    const now = this.#store.clock.now();
    this.#db.transaction(() => {
      if (input.fermenterId != null && input.endedAt == null) checkFermenterFree(this.#db, input.fermenterId);
      this.#db
        .prepare(
          `INSERT INTO brewlogs (id, version_id, snapshot, name, brewer, fermenter_id, started_at, ended_at, notes,
             visibility, created_at, updated_at, origin_name, origin_url)
           VALUES (@id, @versionId, @snapshot, @name, @brewer, @fermenterId, @startedAt, @endedAt, @notes,
             @visibility, @now, @now, NULL, NULL)`,
        )
        .run({
          id,
          versionId: version.id,
          snapshot: JSON.stringify(version.document),
          name: input.name ?? version.title,
          brewer: viewer.name,
          fermenterId: input.fermenterId ?? null,
          startedAt: input.startedAt,
          endedAt: input.endedAt ?? null,
          notes: input.notes ?? '',
          visibility,
          now,
        });
      if (visibility === 'public') this.#recordPublication(id, viewer.name, version.recipeId, version.id);
    })();
    return this.get(id, viewer);
  }

  get(id: string, viewer: Viewer | null): BrewLog {
    const row = this.#db
      .prepare(`${SELECT} WHERE b.id = @id AND ${VISIBLE}`)
      .get({ id, ...params(viewer) }) as BrewLogRow | undefined;
    if (row === undefined) throw new BrewLogNotFoundError(id);
    const readings = this.#db
      .prepare('SELECT * FROM readings WHERE brewlog_id = ? ORDER BY at, id')
      .all(id) as ReadingRow[];
    return {
      ...this.#summary(row),
      notes: row.notes,
      snapshot: JSON.parse(row.snapshot),
      readings: readings.map((r) => ({
        id: r.id,
        at: r.at,
        gravity: r.gravity,
        source: r.source,
        note: r.note,
        recordedBy: r.recorded_by,
      })),
    };
  }

  /** Newest batch first: public logs, and the viewer's own private ones. */
  list(query: BrewLogQuery, viewer: Viewer | null): BrewLogSummary[] {
    const where = [VISIBLE];
    if (query.recipeId !== undefined) where.push('v.recipe_id = @recipeId');
    if (query.versionId !== undefined) where.push('b.version_id = @versionId');
    if (query.fermenterId !== undefined) where.push('b.fermenter_id = @fermenterId');
    if (query.brewer !== undefined) where.push('b.brewer = @brewer');
    const rows = this.#db
      .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY b.started_at DESC, b.id`)
      .all({ ...query, ...params(viewer) }) as BrewLogRow[];
    return rows.map((r) => this.#summary(r));
  }

  /** Changes what may change: never the brewed recipe. Publishing is recorded in the ledger once. */
  update(id: string, changes: BrewLogChanges, viewer: Viewer): BrewLog {
    const log = this.#owned(id, viewer, 'change', true);
    const next = { ...log, ...changes };
    checkRange(next.startedAt, next.endedAt);
    if (next.visibility === 'public') {
      const recipe = this.#store.getRecipe(log.recipeId, viewer);
      this.#checkPublishable(recipe.visibility, recipe.id);
    }
    this.#db.transaction(() => {
      if (next.fermenterId !== null && next.endedAt === null)
        checkFermenterFree(this.#db, next.fermenterId, id);
      this.#db
        .prepare(
          `UPDATE brewlogs SET name = @name, fermenter_id = @fermenterId, started_at = @startedAt,
             ended_at = @endedAt, notes = @notes, visibility = @visibility, updated_at = @now WHERE id = @id`,
        )
        .run({
          id,
          name: next.name,
          fermenterId: next.fermenterId,
          startedAt: next.startedAt,
          endedAt: next.endedAt,
          notes: next.notes,
          visibility: next.visibility,
          now: this.#store.clock.now(),
        });
      if (next.visibility === 'public') this.#recordPublication(id, log.brewer, log.recipeId, log.versionId);
    })();
    return this.get(id, viewer);
  }

  /** Removes a log and its readings. A publication already in the ledger stays there (append-only). */
  remove(id: string, viewer: Viewer): void {
    this.#owned(id, viewer, 'delete');
    this.#db.prepare('DELETE FROM brewlogs WHERE id = ?').run(id);
  }

  addReading(id: string, input: NewReading, viewer: Viewer): GravityReading {
    this.#owned(id, viewer, 'add readings to', true);
    if (!(input.gravity >= GRAVITY_MIN && input.gravity <= GRAVITY_MAX)) {
      throw new BrewLogInvalidError(
        `Gravity ${input.gravity} is not a specific gravity between ${GRAVITY_MIN} and ${GRAVITY_MAX}; ` +
          'write it like 1.048 (not 1048 or 12 °P).',
      );
    }
    const reading: GravityReading = {
      id: randomUUID(),
      at: input.at,
      gravity: input.gravity,
      source: input.source ?? 'manual',
      note: input.note ?? '',
      recordedBy: viewer.name,
    };
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO readings (id, brewlog_id, at, gravity, source, note, recorded_by)
           VALUES (@id, @brewlogId, @at, @gravity, @source, @note, @recordedBy)`,
        )
        .run({ ...reading, brewlogId: id });
      this.#touch(id);
    })();
    return reading;
  }

  removeReading(id: string, readingId: string, viewer: Viewer): void {
    this.#owned(id, viewer, 'remove readings from', true);
    this.#db.transaction(() => {
      const { changes } = this.#db
        .prepare('DELETE FROM readings WHERE id = ? AND brewlog_id = ?')
        .run(readingId, id);
      if (changes === 0) throw new ReadingNotFoundError(id, readingId);
      this.#touch(id);
    })();
  }

  /** The recipe as brewed: the snapshot with the measured gravities and strength (BeerJSON 1.0). */
  asBrewed(id: string, viewer: Viewer | null): unknown {
    return asBrewedDocument(this.get(id, viewer));
  }

  #touch(id: string): void {
    this.#db.prepare('UPDATE brewlogs SET updated_at = ? WHERE id = ?').run(this.#store.clock.now(), id);
  }

  /** The log, if the viewer may change it: its brewer, an admin, and with `coBrewers` a batch's co-brewers. */
  #owned(id: string, viewer: Viewer, what: string, coBrewers = false): BrewLog {
    const log = this.get(id, viewer);
    if (!log.local) {
      throw new ForbiddenError(`Brew log ${id} comes from ${log.origin.name}; only that space changes it.`);
    }
    if (log.brewer === viewer.name || viewer.admin) return log;
    if (coBrewers && this.#isCoBrewer(id, viewer.name)) return log;
    throw new ForbiddenError(
      `Only ${log.brewer} (who brewed it)${coBrewers ? ', its co-brewers' : ''} or an admin may ${what} brew log ${id}.`,
    );
  }

  #isCoBrewer(id: string, name: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM batch_cobrewers WHERE brewlog_id = ? AND name = ?').get(id, name) !==
      undefined
    );
  }

  #checkPublishable(recipeVisibility: Visibility, recipeId: string): void {
    if (recipeVisibility !== 'public') {
      throw new BrewLogInvalidError(
        `A brew log of the private recipe ${recipeId} cannot be public: publish the recipe first, or keep the ` +
          'log private.',
      );
    }
  }

  #recordPublication(id: string, brewer: string, recipeId: string, versionId: string): void {
    this.#store.ledger.record({
      contributor: brewer,
      kind: 'brewlog',
      recipeId,
      versionId,
      brewlogId: id,
      recordedBy: 'cobrew',
      onceKey: onceKey.brewlog(id),
    });
  }

  #summary(r: BrewLogRow): BrewLogSummary {
    return {
      id: r.id,
      recipeId: r.recipe_id,
      versionId: r.version_id,
      versionNumber: r.version_number,
      recipeTitle: r.recipe_title,
      name: r.name,
      brewer: r.brewer,
      fermenterId: r.fermenter_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      visibility: r.visibility,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      origin: this.#store.originOf(r.origin_id, r.origin_name, r.origin_url),
      local: r.origin_name === null,
    };
  }
}

const params = (viewer: Viewer | null) => ({ viewer: viewer?.name ?? null, admin: viewer?.admin ? 1 : 0 });

function checkRange(startedAt: number, endedAt: number | null): void {
  if (endedAt !== null && endedAt < startedAt) {
    throw new BrewLogInvalidError(
      `The brew log ends (${new Date(endedAt).toISOString()}) before it starts ` +
        `(${new Date(startedAt).toISOString()}); swap them or correct the end.`,
    );
  }
}
