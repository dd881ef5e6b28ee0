// The bridge backlog on its own: order, bounds in readings and bytes with one warning per outage, owner-only,
// and what it holds survives a restart.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKLOG_FILE_NAME, type Backlog, openBacklog } from '../../broker/backlog.js';

let dir: string;
const open: Backlog[] = [];
const warnings: Array<Record<string, unknown>> = [];
const log = {
  debug() {},
  info() {},
  warn(obj: Record<string, unknown>) {
    warnings.push(obj);
  },
  error() {},
};

afterEach(() => {
  for (const b of open.splice(0)) b.close();
  warnings.length = 0;
  rmSync(dir, { recursive: true, force: true });
});

function backlog(maxReadings: number, maxBytes = 1 << 20): Backlog {
  const b = openBacklog({ dataDir: dir, maxReadings, maxBytes, log, flushEveryMs: 10_000 });
  open.push(b);
  return b;
}

describe('bridge backlog', () => {
  it('gives readings back oldest first, forgets those sent, and keeps the rest across a restart', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-backlog-'));
    const b = backlog(1000);
    for (let i = 0; i < 10; i++) b.add(i % 2 === 0 ? 'ale' : 'lager', `{"at":${i}}`);
    expect(b.size()).toBe(10);
    const first = b.oldest(4);
    expect(first.map((e) => e.payload)).toEqual(['{"at":0}', '{"at":1}', '{"at":2}', '{"at":3}']);
    expect(first.map((e) => e.fermenterId)).toEqual(['ale', 'lager', 'ale', 'lager']);
    b.remove((first.at(-1) as { seq: number }).seq);
    expect(b.size()).toBe(6);
    b.add('ale', '{"at":10}');
    // Closed before its flush was due: what waited is on disk all the same.
    b.close();
    open.pop();
    expect(statSync(join(dir, BACKLOG_FILE_NAME)).mode & 0o777).toBe(0o600);
    const again = backlog(1000);
    expect(again.size()).toBe(7);
    expect(again.oldest(100).map((e) => JSON.parse(e.payload).at)).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('drops the oldest past its bound in readings, and warns once per outage', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-backlog-'));
    const b = backlog(1000);
    for (let i = 0; i < 2500; i++) {
      b.add('ale', `{"at":${i}}`);
      if (i % 100 === 99) b.oldest(0);
    }
    const kept = b.oldest(5000).map((e) => JSON.parse(e.payload).at);
    expect(kept).toHaveLength(1000);
    expect(kept[0]).toBe(1500);
    expect(kept.at(-1)).toBe(2499);
    expect(warnings.filter((w) => w.code === 'COBREW_ERR_BRIDGE_BACKLOG_FULL')).toHaveLength(1);
    b.outageOver();
    expect(warnings.at(-1)).toMatchObject({ dropped: 1500 });
    for (let i = 0; i < 10; i++) b.add('ale', '{}');
    b.oldest(0);
    expect(warnings.filter((w) => w.code === 'COBREW_ERR_BRIDGE_BACKLOG_FULL')).toHaveLength(2);
  });

  it('drops the oldest past its bound in bytes', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-backlog-'));
    const payload = (i: number) => JSON.stringify({ at: i, pad: 'x'.repeat(90) });
    const size = Buffer.byteLength(payload(1000));
    const b = backlog(1_000_000, size * 300);
    for (let i = 1000; i < 2000; i++) b.add('ale', payload(i));
    const kept = b.oldest(5000).map((e) => JSON.parse(e.payload).at);
    expect(kept).toHaveLength(300);
    expect(kept[0]).toBe(1700);
  });
});
