// Readings that InfluxDB has not taken yet, as line-protocol lines in a SQLite file of their own
// (<data dir>/influx-queue.db), oldest first. It survives a restart and a power cut (WAL, synchronous=FULL:
// an append has reached the disk when it returns), and holds at most `maxLines`: appending beyond that
// drops the oldest lines, so the newest — what a dashboard shows — always get through.
import Database from 'better-sqlite3';
import { boundPageCache } from '../../common/sqlite-cache.js';

export interface QueuedChunk {
  lines: string[];
  /** Id of the last line: remove(lastId) forgets the chunk once it is delivered. */
  lastId: number;
}

export class DiskQueue {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string]>;
  readonly #dropOldest: Database.Statement<[number]>;
  readonly #peek: Database.Statement<[number], { id: number; line: string }>;
  readonly #removeUpTo: Database.Statement<[number]>;
  readonly #append: (lines: readonly string[]) => number;
  #size: number;

  constructor(
    readonly file: string,
    readonly maxLines: number,
  ) {
    if (!(Number.isInteger(maxLines) && maxLines > 0)) {
      throw new RangeError(`maxLines must be a positive integer, got ${maxLines}`);
    }
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    boundPageCache(this.#db);
    // AUTOINCREMENT: ids only grow, even after the queue empties, so id order is arrival order.
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL)',
    );
    this.#insert = this.#db.prepare('INSERT INTO queue (line) VALUES (?)');
    this.#dropOldest = this.#db.prepare(
      'DELETE FROM queue WHERE id IN (SELECT id FROM queue ORDER BY id LIMIT ?)',
    );
    this.#peek = this.#db.prepare('SELECT id, line FROM queue ORDER BY id LIMIT ?');
    this.#removeUpTo = this.#db.prepare('DELETE FROM queue WHERE id <= ?');
    this.#size = (this.#db.prepare('SELECT count(*) AS n FROM queue').get() as { n: number }).n;
    this.#append = this.#db.transaction((lines: readonly string[]) => {
      for (const line of lines) this.#insert.run(line);
      const excess = this.#size + lines.length - this.maxLines;
      const dropped = excess > 0 ? this.#dropOldest.run(excess).changes : 0;
      this.#size += lines.length - dropped;
      return dropped;
    });
  }

  /** Lines waiting. */
  get size(): number {
    return this.#size;
  }

  /** Adds lines after every other, in one transaction; returns how many of the oldest fell off the bound. */
  append(lines: readonly string[]): number {
    return lines.length === 0 ? 0 : this.#append(lines);
  }

  /** The oldest `max` lines, left in place until remove(). */
  peek(max: number): QueuedChunk {
    const rows = this.#peek.all(max);
    return { lines: rows.map((r) => r.line), lastId: rows.at(-1)?.id ?? 0 };
  }

  /** Forgets every line up to and including `lastId`; returns how many were still there. */
  remove(lastId: number): number {
    const removed = this.#removeUpTo.run(lastId).changes;
    this.#size -= removed;
    // An empty queue gives its disk space back; cheap, since nothing is left to copy.
    if (this.#size === 0 && removed > 0) this.#db.exec('VACUUM');
    return removed;
  }

  close(): void {
    this.#db.close();
  }
}
