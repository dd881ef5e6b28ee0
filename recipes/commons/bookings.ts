// The fermenter calendar: a member books a fermenter for a period (pitch date to the end of conditioning and
// cold crash). Overlapping bookings are refused naming the one in the way; starting a booking makes it the
// batch, and ending the batch ends the booking then, freeing the rest of its period.
import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';
import { BookingConflictError, BookingInvalidError, BookingNotFoundError, ForbiddenError } from './errors.js';
import type { Booking, Viewer } from './types.js';

export interface BookingHost {
  readonly db: Db;
  readonly clock: { now(): number };
}

export interface NewBooking {
  fermenterId: string;
  name: string;
  startsAt: number;
  endsAt: number;
  note?: string;
}

export interface BookingQuery {
  fermenterId?: string;
  /** Bookings still running at or after this time (epoch ms); all when absent. */
  from?: number;
}

/** A fermentation with conditioning fits in a few months; a year is a typo. */
export const MAX_BOOKING_MS = 366 * 24 * 3_600_000;

interface Row {
  id: string;
  fermenter_id: string;
  name: string;
  booker: string;
  starts_at: number;
  ends_at: number;
  note: string;
  created_at: number;
  batch_id: string | null;
}

const toBooking = (r: Row): Booking => ({
  id: r.id,
  fermenterId: r.fermenter_id,
  name: r.name,
  booker: r.booker,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  note: r.note,
  createdAt: r.created_at,
  batchId: r.batch_id,
});

const iso = (t: number) => new Date(t).toISOString();

export class Bookings {
  readonly #host: BookingHost;

  constructor(host: BookingHost) {
    this.#host = host;
  }

  get #db() {
    return this.#host.db;
  }

  /** Books a free period; the viewer is the booker. */
  book(input: NewBooking, viewer: Viewer): Booking {
    if (!(input.endsAt > input.startsAt)) {
      throw new BookingInvalidError(
        `A booking ends (${iso(input.endsAt)}) after it starts (${iso(input.startsAt)}); swap or correct them.`,
      );
    }
    if (input.endsAt - input.startsAt > MAX_BOOKING_MS) {
      throw new BookingInvalidError('A booking lasts at most a year; book the fermenter again for longer.');
    }
    if (input.endsAt <= this.#host.clock.now()) {
      throw new BookingInvalidError(
        `A booking ending ${iso(input.endsAt)} is already over; book a period to come.`,
      );
    }
    const id = randomUUID();
    this.#db.transaction(() => {
      this.checkFree(input.fermenterId, input.startsAt, input.endsAt);
      this.#db
        .prepare(
          `INSERT INTO bookings (id, fermenter_id, name, booker, starts_at, ends_at, note, created_at, batch_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        )
        .run(
          id,
          input.fermenterId,
          input.name,
          viewer.name,
          input.startsAt,
          input.endsAt,
          input.note ?? '',
          this.#host.clock.now(),
        );
    })();
    return this.get(id);
  }

  get(id: string): Booking {
    const row = this.#db.prepare('SELECT * FROM bookings WHERE id = ?').get(id) as Row | undefined;
    if (row === undefined) throw new BookingNotFoundError(id);
    return toBooking(row);
  }

  /** The calendar, by fermenter then start. */
  list(query: BookingQuery = {}): Booking[] {
    const where = ['1 = 1'];
    if (query.fermenterId !== undefined) where.push('fermenter_id = @fermenterId');
    if (query.from !== undefined) where.push('ends_at > @from');
    const rows = this.#db
      .prepare(`SELECT * FROM bookings WHERE ${where.join(' AND ')} ORDER BY fermenter_id, starts_at, id`)
      .all(query) as Row[];
    return rows.map(toBooking);
  }

  /** The next booking of the fermenter that has not become a batch yet and is not over. */
  next(fermenterId: string): Booking | null {
    const row = this.#db
      .prepare(
        `SELECT * FROM bookings WHERE fermenter_id = ? AND batch_id IS NULL AND ends_at > ?
         ORDER BY starts_at, id LIMIT 1`,
      )
      .get(fermenterId, this.#host.clock.now()) as Row | undefined;
    return row === undefined ? null : toBooking(row);
  }

  /** Removes a booking that has not started (its booker or an admin). */
  cancel(id: string, viewer: Viewer): void {
    const booking = this.get(id);
    if (booking.booker !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(
        `Only ${booking.booker} (who booked it) or an admin may cancel booking ${id}.`,
      );
    }
    if (booking.batchId !== null) {
      throw new BookingInvalidError(
        `Booking ${id} has become batch ${booking.batchId}; end the batch instead.`,
      );
    }
    this.#db.prepare('DELETE FROM bookings WHERE id = ?').run(id);
  }

  /** Throws COBREW_ERR_BOOKING_CONFLICT naming the first booking (other than `self`) overlapping the period. */
  checkFree(fermenterId: string, startsAt: number, endsAt: number, self: string | null = null): void {
    const row = this.#db
      .prepare(
        `SELECT * FROM bookings WHERE fermenter_id = ? AND starts_at < ? AND ends_at > ? AND id IS NOT ?
         ORDER BY starts_at LIMIT 1`,
      )
      .get(fermenterId, endsAt, startsAt, self) as Row | undefined;
    if (row !== undefined) {
      throw new BookingConflictError(
        fermenterId,
        iso(row.starts_at),
        iso(row.ends_at),
        row.name,
        row.booker,
        row.id,
      );
    }
  }

  /**
   * The booking a batch starting now on the fermenter takes: `id` when given (the viewer's, or an admin's,
   * for that fermenter, not started), which must not be in another's way; without one, the fermenter must
   * be free of other bookings for now.
   */
  claim(id: string | undefined, fermenterId: string, viewer: Viewer): Booking | null {
    const now = this.#host.clock.now();
    if (id === undefined) {
      this.checkFree(fermenterId, now, now + 1);
      return null;
    }
    const booking = this.get(id);
    if (booking.booker !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(`Booking ${id} is ${booking.booker}'s; start your own booking or none.`);
    }
    if (booking.fermenterId !== fermenterId || booking.batchId !== null || booking.endsAt <= now) {
      throw new BookingInvalidError(
        `Booking ${id} is for fermenter ${booking.fermenterId} until ${iso(booking.endsAt)}` +
          `${booking.batchId === null ? '' : ` and is already batch ${booking.batchId}`}; it cannot start ` +
          `a batch on ${fermenterId} now.`,
      );
    }
    // Starting early takes the time before its start too.
    this.checkFree(fermenterId, Math.min(now, booking.startsAt), booking.endsAt, id);
    return booking;
  }

  /** Links a claimed booking to its batch, moving its start to now when it started early. */
  attach(id: string, batchId: string): void {
    this.#db
      .prepare('UPDATE bookings SET batch_id = ?, starts_at = min(starts_at, ?) WHERE id = ?')
      .run(batchId, this.#host.clock.now(), id);
  }

  /** The batch has ended: its booking ends then too, freeing the rest of its period. */
  batchEnded(batchId: string, at: number): void {
    this.#db
      .prepare('UPDATE bookings SET ends_at = max(starts_at + 1, min(ends_at, ?)) WHERE batch_id = ?')
      .run(at, batchId);
  }
}
