// The journal on disk: <data dir>/journal.jsonl, appended one line per entry. At JOURNAL_MAX_BYTES it is
// renamed to journal.jsonl.1 (replacing the older one) and a new file begins, so the journal never takes
// more than twice that. Appends are synchronous and rare (incidents, board events, starts): a line is on
// disk before the process can die of whatever the line records.
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY_FILE, ownerOnlyDir, ownerOnlyFile } from '../../common/owner-only.js';
import type { JournalEntry } from './entries.js';

export const JOURNAL_FILE = 'journal.jsonl';
/** 4 MiB per file, one older file kept: at most 8 MiB, several hundred incidents with their readings. */
export const JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

export interface JournalFile {
  readonly path: string;
  append(entry: JournalEntry): void;
}

export function journalPaths(dataDir: string): { current: string; previous: string } {
  const current = join(dataDir, JOURNAL_FILE);
  return { current, previous: `${current}.1` };
}

export function openJournalFile(dataDir: string, maxBytes = JOURNAL_MAX_BYTES): JournalFile {
  ownerOnlyDir(dataDir);
  const { current, previous } = journalPaths(dataDir);
  // It holds the whole configuration: owner-only, the file rotated away included.
  if (existsSync(current)) ownerOnlyFile(current);
  let size = existsSync(current) ? statSync(current).size : 0;
  // A line torn by a power cut must not glue itself to the next entry.
  if (size > 0 && !endsWithNewline(current)) {
    appendFileSync(current, '\n');
    size += 1;
  }
  return {
    path: current,
    append(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) {
        renameSync(current, previous);
        size = 0;
      }
      appendFileSync(current, line, { mode: OWNER_ONLY_FILE });
      if (size === 0) ownerOnlyFile(current);
      size += bytes;
    },
  };
}

function endsWithNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(1);
    const { size } = statSync(path);
    return size === 0 || (readSync(fd, b, 0, 1, size - 1) === 1 && b[0] === 0x0a);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every entry, oldest first, from journal.jsonl.1 then journal.jsonl. Lines that are not a JSON object with
 * `at` and `kind` (a line torn by a power cut, NUL bytes) are counted and skipped, never fatal.
 */
export function readJournal(dataDir: string): { entries: JournalEntry[]; skipped: number; files: string[] } {
  const { current, previous } = journalPaths(dataDir);
  const entries: JournalEntry[] = [];
  const files: string[] = [];
  let skipped = 0;
  for (const file of [previous, current]) {
    if (!existsSync(file)) continue;
    files.push(file);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const text = line.replace(/\0/g, '').trim();
      if (text === '') continue;
      const entry = parseEntry(text);
      if (entry === null) skipped++;
      else entries.push(entry);
    }
  }
  return { entries, skipped, files };
}

function parseEntry(text: string): JournalEntry | null {
  try {
    const v = JSON.parse(text) as { at?: unknown; kind?: unknown };
    if (typeof v !== 'object' || v === null || typeof v.kind !== 'string') return null;
    const at = typeof v.at === 'string' ? Date.parse(v.at) : v.at;
    if (typeof at !== 'number' || !Number.isFinite(at)) return null;
    return { ...v, at } as JournalEntry;
  } catch {
    return null;
  }
}
