// Batches: who is brewing what in which fermenter. A batch is a brew log with a fermenter (the log is its
// record, not a copy), plus its co-brewers and the profile it started with. While it is open the fermenter
// belongs to it: its owner (the log's brewer) and co-brewers control it, and a second batch is refused.
// Ending it closes the log and frees the fermenter.
import type { Bookings } from './bookings.js';
import type { BrewLogs, NewBrewLog } from './brewlogs.js';
import type { Db } from './db.js';
import {
  BatchEndedError,
  BatchNotFoundError,
  BrewLogInvalidError,
  BrewLogNotFoundError,
  ForbiddenError,
  NotYourBatchError,
} from './errors.js';
import { fermentationSteps } from './fermentation-steps.js';
import { openBatchOn } from './occupancy.js';
import type { Batch, BatchStep, FermenterBatch, Viewer } from './types.js';

export interface BatchHost {
  readonly db: Db;
  readonly clock: { now(): number };
  readonly brewLogs: BrewLogs;
  readonly bookings: Bookings;
  getVersionById(id: string, viewer: Viewer | null): { document: unknown };
}

export interface NewBatch {
  versionId: string;
  fermenterId: string;
  name?: string;
  coBrewers?: string[];
  /** The profile it starts with; null runs none (the fermenter keeps what it does). */
  profile?: BatchStep[] | null;
  notes?: string;
  visibility?: NewBrewLog['visibility'];
  /** The booking this batch fulfils (the viewer's); without one, no one else may have booked the fermenter now. */
  bookingId?: string;
}

/** A batch names at most this many co-brewers: a team, not the whole space. */
export const MAX_COBREWERS = 20;

export class Batches {
  readonly #host: BatchHost;

  constructor(host: BatchHost) {
    this.#host = host;
  }

  get #db() {
    return this.#host.db;
  }

  /** The profile a recipe version's fermentation steps give, to show before starting. */
  stepsOf(versionId: string, viewer: Viewer | null): BatchStep[] {
    return fermentationSteps(this.#host.getVersionById(versionId, viewer).document);
  }

  /** Opens a batch on a free fermenter, now; the viewer owns it. */
  start(input: NewBatch, viewer: Viewer): Batch {
    const coBrewers = cleanCoBrewers(input.coBrewers ?? [], viewer.name);
    const id = this.#db.transaction(() => {
      const booking = this.#host.bookings.claim(input.bookingId, input.fermenterId, viewer);
      // brewLogs.create refuses a fermenter another open batch holds.
      const log = this.#host.brewLogs.create(
        {
          versionId: input.versionId,
          name: input.name ?? booking?.name,
          fermenterId: input.fermenterId,
          startedAt: this.#host.clock.now(),
          notes: input.notes,
          visibility: input.visibility,
        },
        viewer,
      );
      this.#db
        .prepare('UPDATE brewlogs SET profile = ? WHERE id = ?')
        .run(input.profile ? JSON.stringify(input.profile) : null, log.id);
      this.#setCoBrewers(log.id, coBrewers);
      if (booking !== null) this.#host.bookings.attach(booking.id, log.id);
      return log.id;
    })();
    return this.get(id, viewer);
  }

  /** A batch as its viewer may see it: the brew log with co-brewers and profile. */
  get(id: string, viewer: Viewer | null): Batch {
    let log: ReturnType<BrewLogs['get']>;
    try {
      log = this.#host.brewLogs.get(id, viewer);
    } catch (err) {
      if (err instanceof BrewLogNotFoundError) throw new BatchNotFoundError(id);
      throw err;
    }
    if (log.fermenterId === null) throw new BatchNotFoundError(id);
    const row = this.#db.prepare('SELECT profile FROM brewlogs WHERE id = ?').get(id) as {
      profile: string | null;
    };
    return {
      ...log,
      fermenterId: log.fermenterId,
      coBrewers: this.coBrewersOf(id),
      profile: row.profile === null ? null : (JSON.parse(row.profile) as BatchStep[]),
      active: log.endedAt === null,
    };
  }

  /** The batch now on each fermenter asked about that the viewer may see, newest first. */
  listOpen(viewer: Viewer | null): Batch[] {
    const ids = this.#db
      .prepare(
        `SELECT id FROM brewlogs WHERE fermenter_id IS NOT NULL AND ended_at IS NULL AND origin_name IS NULL
         ORDER BY started_at DESC, id`,
      )
      .all() as { id: string }[];
    return ids.flatMap(({ id }) => {
      try {
        return [this.get(id, viewer)];
      } catch (err) {
        if (err instanceof BatchNotFoundError) return [];
        throw err;
      }
    });
  }

  /** Closes the batch's brew log now and frees its fermenter (owner, co-brewer or admin). */
  end(id: string, viewer: Viewer): Batch {
    const batch = this.#controlled(id, viewer, 'end');
    if (!batch.active) throw new BatchEndedError(id);
    const now = Math.max(this.#host.clock.now(), batch.startedAt);
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE brewlogs SET ended_at = @now, updated_at = @now WHERE id = @id')
        .run({ id, now });
      this.#host.bookings.batchEnded(id, now);
    })();
    return this.get(id, viewer);
  }

  /** Replaces the co-brewers (the owner or an admin: that is how the space grants control to more people). */
  setCoBrewers(id: string, names: string[], viewer: Viewer): Batch {
    const batch = this.get(id, viewer);
    if (batch.brewer !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(
        `Only ${batch.brewer} (who owns batch ${id}) or an admin may change its co-brewers.`,
      );
    }
    const clean = cleanCoBrewers(names, batch.brewer);
    this.#db.transaction(() => this.#setCoBrewers(id, clean))();
    return this.get(id, viewer);
  }

  coBrewersOf(id: string): string[] {
    const rows = this.#db
      .prepare('SELECT name FROM batch_cobrewers WHERE brewlog_id = ? ORDER BY name')
      .all(id) as { name: string }[];
    return rows.map((r) => r.name);
  }

  /**
   * Who the fermenter belongs to now: its open batch, or null when it is free. Not filtered by viewer: the
   * fermenter's control and alerts need it whoever asks, and it names no more than the fermenter page shows.
   */
  onFermenter(fermenterId: string): FermenterBatch | null {
    const open = openBatchOn(this.#db, fermenterId);
    if (open === undefined) return null;
    return {
      fermenterId,
      batchId: open.id,
      name: open.name,
      owner: open.brewer,
      coBrewers: this.coBrewersOf(open.id),
      since: open.started_at,
    };
  }

  /**
   * Why `who` may not control the fermenter (COBREW_ERR_NOT_YOUR_BATCH, naming the batch and its owner), or
   * null when they may: a free fermenter, the batch's owner or a co-brewer, an admin.
   */
  controlRefusal(fermenterId: string, who: Viewer): InstanceType<typeof NotYourBatchError> | null {
    if (who.admin) return null;
    const batch = this.onFermenter(fermenterId);
    if (batch === null || batch.owner === who.name || batch.coBrewers.includes(who.name)) return null;
    const team = batch.coBrewers.length === 0 ? 'none' : batch.coBrewers.join(', ');
    return new NotYourBatchError(fermenterId, batch.name, batch.owner, team);
  }

  /** Every busy fermenter's batch (see onFermenter), by fermenter. */
  holders(): FermenterBatch[] {
    const rows = this.#db
      .prepare(
        `SELECT DISTINCT fermenter_id AS id FROM brewlogs
         WHERE fermenter_id IS NOT NULL AND ended_at IS NULL AND origin_name IS NULL ORDER BY fermenter_id`,
      )
      .all() as { id: string }[];
    return rows.flatMap(({ id }) => this.onFermenter(id) ?? []);
  }

  #controlled(id: string, viewer: Viewer, what: string): Batch {
    const batch = this.get(id, viewer);
    if (!viewer.admin && batch.brewer !== viewer.name && !batch.coBrewers.includes(viewer.name)) {
      throw new ForbiddenError(
        `Only ${batch.brewer} (who owns batch ${id}), its co-brewers or an admin may ${what} it.`,
      );
    }
    return batch;
  }

  #setCoBrewers(id: string, names: readonly string[]): void {
    this.#db.prepare('DELETE FROM batch_cobrewers WHERE brewlog_id = ?').run(id);
    const add = this.#db.prepare('INSERT INTO batch_cobrewers (brewlog_id, name) VALUES (?, ?)');
    for (const name of names) add.run(id, name);
  }
}

/** Distinct names, without the owner (who controls the batch anyway), at most MAX_COBREWERS. */
function cleanCoBrewers(names: readonly string[], owner: string): string[] {
  const clean = [...new Set(names.map((n) => n.trim()))].filter((n) => n !== '' && n !== owner);
  if (clean.length > MAX_COBREWERS) {
    throw new BrewLogInvalidError(
      `A batch names at most ${MAX_COBREWERS} co-brewers; it was given ${clean.length}. Keep the team, ` +
        'and ask an admin for wider rights.',
    );
  }
  return clean.sort();
}
