// Which open brew log holds a fermenter. One at a time: every path that opens a log on a fermenter, or
// reopens or moves one, asks here first, inside its transaction.
import type { Db } from './db.js';
import { FermenterBusyError } from './errors.js';

export interface OpenBatchRow {
  id: string;
  name: string;
  brewer: string;
  started_at: number;
}

/** The open batch made here on `fermenterId`, if any. */
export function openBatchOn(db: Db, fermenterId: string): OpenBatchRow | undefined {
  return db
    .prepare(
      `SELECT id, name, brewer, started_at FROM brewlogs
       WHERE fermenter_id = ? AND ended_at IS NULL AND origin_name IS NULL ORDER BY started_at, id LIMIT 1`,
    )
    .get(fermenterId) as OpenBatchRow | undefined;
}

/** Throws COBREW_ERR_FERMENTER_BUSY naming the batch that holds the fermenter (other than `self`). */
export function checkFermenterFree(db: Db, fermenterId: string, self: string | null = null): void {
  const busy = openBatchOn(db, fermenterId);
  if (busy !== undefined && busy.id !== self) {
    throw new FermenterBusyError(fermenterId, busy.name, busy.id, busy.brewer);
  }
}
