// The history spool: items the database could not take (locked by another program, disk full, I/O error),
// kept on disk until it can, so that a restart during an outage loses nothing. JSON Lines, one item a line,
// in segment files <data dir>/history-spool/<n>.jsonl, oldest first. An append is on disk when it returns
// (one fsync per segment it wrote to, nearly always one). A process appends only to segments it created
// itself, and never again to one a write failed on, so a line torn by a crash is the last of its file:
// reading skips it. Synchronous: it runs in the history worker, never on the control loop's thread.
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { HistorySpoolOpenError } from './errors.js';
import type { IngestItem, IngestResult } from './store.js';

const SEGMENT = /^(\d{16})\.jsonl$/;
/** The file name of segment `n`: numbered in order of creation, so that names sort oldest first. */
export const segmentName = (n: number) => `${String(n).padStart(16, '0')}.jsonl`;

/** Turns a line's parsed value into an item or throws: `checkSpoolItem` (spool-check.ts), loaded apart. */
export type SpoolLineCheck = (value: unknown) => IngestItem;

export interface SpoolDrain {
  /** Items read back, committed, and gone from the spool. */
  replayed: number;
  /** Lines that could not be read (cut short by a crash, or damaged): left out. */
  skipped: number;
  /** What the database made of the replayed items. */
  result: IngestResult;
  /** Set when the database (or the spool) failed: what was not committed is still in the spool. */
  error?: unknown;
}

interface Segment {
  n: number;
  /** Complete lines in the file. */
  items: number;
}

export class HistorySpool {
  /** Oldest first. */
  readonly #segments: Segment[] = [];
  /** The segment this process appends to, always the last one; null until the next append creates one. */
  #open: { fd: number; bytes: number } | null = null;
  #items = 0;
  #next = 1;
  readonly #segmentMax: number;

  /** Reads what an earlier run left in `dir`; a missing directory is an empty spool. */
  constructor(
    readonly dir: string,
    readonly maxItems: number,
  ) {
    // A tenth of the bound a segment: at the bound, the oldest readings go a whole file at a time.
    this.#segmentMax = Math.max(1, Math.ceil(maxItems / 10));
    let found: number[];
    try {
      found = readdirSync(dir)
        .map((name) => SEGMENT.exec(name)?.[1])
        .filter((n) => n !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      for (const n of found) {
        const items = countLines(readFileSync(join(dir, segmentName(n))));
        this.#segments.push({ n, items });
        this.#items += items;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new HistorySpoolOpenError(dir, (err as Error).message, { cause: err });
    }
    this.#next = (found.at(-1) ?? 0) + 1;
  }

  /** Items waiting (complete lines). */
  get size(): number {
    return this.#items;
  }

  /** No segment file left: new items may go straight to the database without overtaking older ones. */
  get empty(): boolean {
    return this.#segments.length === 0;
  }

  /**
   * Appends items after every other and returns once they are on disk; throws if they could not be written.
   * Past `maxItems`, the oldest segments are deleted: returns how many items went with them.
   */
  append(items: readonly IngestItem[]): number {
    let i = 0;
    while (i < items.length) {
      const segment = this.#writable();
      const take = Math.min(items.length - i, this.#segmentMax - segment.items);
      let text = '';
      for (let k = i; k < i + take; k++) text += `${JSON.stringify(items[k])}\n`;
      try {
        this.#write(Buffer.from(text, 'utf8'));
      } catch (err) {
        // A segment left with nothing in it must not count as a backlog the database has to wait for.
        if (segment.items === 0) {
          this.#segments.pop();
          removeQuietly(join(this.dir, segmentName(segment.n)));
        }
        throw err;
      }
      segment.items += take;
      this.#items += take;
      i += take;
    }
    let dropped = 0;
    while (this.#items > this.maxItems && this.#segments.length > 1) {
      const oldest = this.#segments[0] as Segment;
      rmSync(join(this.dir, segmentName(oldest.n)), { force: true });
      this.#segments.shift();
      this.#items -= oldest.items;
      dropped += oldest.items;
    }
    return dropped;
  }

  /**
   * Hands the items back to `write`, oldest first, at most `chunkMax` at a time, and deletes each segment once
   * all of it is committed. Stops at the first failure; a segment cut short is replayed whole next time,
   * which the store takes as duplicates of what it has already. Each line is checked by `check`.
   */
  drain(write: (items: IngestItem[]) => IngestResult, chunkMax: number, check: SpoolLineCheck): SpoolDrain {
    const out: SpoolDrain = { replayed: 0, skipped: 0, result: noResult() };
    this.#close();
    while (this.#segments.length > 0) {
      const segment = this.#segments[0] as Segment;
      const file = join(this.dir, segmentName(segment.n));
      const result = noResult();
      try {
        const { items, skipped } = readSegment(file, check);
        for (let i = 0; i < items.length; i += chunkMax)
          addResult(result, write(items.slice(i, i + chunkMax)));
        rmSync(file, { force: true });
        out.replayed += items.length;
        out.skipped += skipped;
      } catch (err) {
        out.error = err;
        return out;
      }
      addResult(out.result, result);
      this.#segments.shift();
      this.#items -= segment.items;
    }
    return out;
  }

  close(): void {
    this.#close();
  }

  /** The segment to append to, creating it (and the directory) when there is none open or it is full. */
  #writable(): Segment {
    const last = this.#segments.at(-1);
    if (this.#open !== null && last !== undefined && last.items < this.#segmentMax) return last;
    this.#close();
    if (mkdirSync(this.dir, { recursive: true }) !== undefined) syncDir(dirname(this.dir));
    const n = this.#next;
    const file = join(this.dir, segmentName(n));
    const fd = openSync(file, 'a');
    this.#next += 1;
    try {
      syncDir(this.dir); // the new file's name must survive a power cut too, not only its lines
    } catch (err) {
      closeSync(fd);
      removeQuietly(file);
      throw err;
    }
    const segment = { n, items: 0 };
    this.#segments.push(segment);
    this.#open = { fd, bytes: 0 };
    return segment;
  }

  #write(buf: Buffer): void {
    const open = this.#open as { fd: number; bytes: number };
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(open.fd, buf, off);
      fsyncSync(open.fd);
      open.bytes += buf.length;
    } catch (err) {
      // Take back whatever part reached the file, and append no more to it: should the truncation fail too
      // (a dying disk), the torn line stays the file's last, which reading skips.
      try {
        ftruncateSync(open.fd, open.bytes);
      } catch {}
      this.#close();
      throw err;
    }
  }

  #close(): void {
    if (this.#open === null) return;
    closeSync(this.#open.fd);
    this.#open = null;
  }
}

/** Best effort: an empty segment left behind holds nothing and is removed with the others. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {}
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function readSegment(file: string, check: SpoolLineCheck): { items: IngestItem[]; skipped: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  // After the last newline: nothing, or a line a crash cut short.
  let skipped = lines.pop() === '' ? 0 : 1;
  const items: IngestItem[] = [];
  for (const line of lines) {
    try {
      items.push(check(JSON.parse(line)));
    } catch {
      skipped += 1;
    }
  }
  return { items, skipped };
}

function noResult(): IngestResult {
  return { stored: 0, duplicates: 0, tooOld: 0, incidents: 0, events: 0 };
}

function addResult(to: IngestResult, r: IngestResult): void {
  to.stored += r.stored;
  to.duplicates += r.duplicates;
  to.tooOld += r.tooOld;
  to.incidents += r.incidents;
  to.events += r.events;
}
