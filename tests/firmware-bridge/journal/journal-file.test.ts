// The journal file: one JSON object per line, bounded by rotation to one older file, readable after a power
// cut tore its last line, and appended to across restarts.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journalPaths, openJournalFile, readJournal } from '../../../firmware-bridge/journal/journal-file.js';
import { tempDirs } from './helpers.js';

const tmp = tempDirs('cobrew-journal-');

describe('journal file', () => {
  it('appends one JSON line per entry and reads them back, oldest first', () => {
    const dir = tmp();
    const j = openJournalFile(dir);
    j.append({ at: 1, kind: 'stop' });
    j.append({ at: 2, kind: 'board-failsafe', fermenterId: 'ale', port: '/dev/x', reason: 'HB_TIMEOUT' });
    const text = readFileSync(journalPaths(dir).current, 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind),
    ).toEqual(['stop', 'board-failsafe']);
    expect(readJournal(dir).entries.map((e) => e.at)).toEqual([1, 2]);
  });

  it('rotates at its bound, keeping exactly one older file, so it never takes more than twice the bound', () => {
    const dir = tmp();
    const j = openJournalFile(dir, 2000);
    for (let i = 0; i < 200; i++) j.append({ at: i, kind: 'stop' });
    const { current, previous } = journalPaths(dir);
    expect(statSync(current).size).toBeLessThanOrEqual(2000);
    expect(statSync(previous).size).toBeLessThanOrEqual(2000);
    const { entries } = readJournal(dir);
    // The newest entries survive, in order, across the two files.
    expect(entries.at(-1)?.at).toBe(199);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => a - b));
    expect(entries.length).toBeGreaterThan(50);
  });

  it('survives a line torn by a power cut (and NUL bytes): skipped, counted, and the next start appends cleanly', () => {
    const dir = tmp();
    const { current } = journalPaths(dir);
    writeFileSync(current, '{"at":1,"kind":"stop"}\n\0\0\0{"at":2,"kind":"inc');
    const j = openJournalFile(dir);
    j.append({ at: 3, kind: 'stop' });
    appendFileSync(current, 'not json\n');
    const read = readJournal(dir);
    expect(read.entries.map((e) => e.at)).toEqual([1, 3]);
    expect(read.skipped).toBe(2);
  });

  it('accepts ISO times as written by other tools', () => {
    const dir = tmp();
    writeFileSync(journalPaths(dir).current, '{"at":"2026-01-01T00:00:00Z","kind":"firmware-flash"}\n');
    expect(readJournal(dir).entries[0]).toMatchObject({ at: Date.UTC(2026, 0, 1), kind: 'firmware-flash' });
  });
});
