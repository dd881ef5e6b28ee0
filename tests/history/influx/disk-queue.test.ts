// The on-disk queue: order, its bound, and what survives reopening the file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskQueue } from '../../../history/influx/disk-queue.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-influx-queue-'));
  file = join(dir, 'queue.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('DiskQueue', () => {
  it('gives lines back oldest first, a chunk at a time, until removed', () => {
    const q = new DiskQueue(file, 100);
    expect(q.append(lines(0, 5))).toBe(0);
    expect(q.append(lines(5, 8))).toBe(0);
    expect(q.size).toBe(8);
    const first = q.peek(3);
    expect(first.lines).toEqual(lines(0, 3));
    expect(q.peek(3).lines).toEqual(lines(0, 3));
    expect(q.remove(first.lastId)).toBe(3);
    expect(q.peek(100).lines).toEqual(lines(3, 8));
    expect(q.size).toBe(5);
    q.close();
  });

  it('keeps its lines, their order and its size across a reopen', () => {
    const q = new DiskQueue(file, 100);
    q.append(lines(0, 10));
    q.remove(q.peek(4).lastId);
    q.close();
    const again = new DiskQueue(file, 100);
    expect(again.size).toBe(6);
    again.append(lines(10, 12));
    expect(again.peek(100).lines).toEqual(lines(4, 12));
    again.close();
  });

  it('drops the oldest lines past its bound and says how many', () => {
    const q = new DiskQueue(file, 10);
    expect(q.append(lines(0, 8))).toBe(0);
    expect(q.append(lines(8, 13))).toBe(3);
    expect(q.size).toBe(10);
    expect(q.peek(100).lines).toEqual(lines(3, 13));
    // More at once than the bound holds: only the newest stay.
    expect(q.append(lines(13, 40))).toBe(27);
    expect(q.peek(100).lines).toEqual(lines(30, 40));
    q.close();
  });

  it('counts right when the oldest are dropped while a chunk is being sent', () => {
    const q = new DiskQueue(file, 10);
    q.append(lines(0, 10));
    const sending = q.peek(6);
    q.append(lines(10, 14)); // drops lines 0-3, which are in the chunk
    expect(q.remove(sending.lastId)).toBe(2);
    expect(q.size).toBe(8);
    expect(q.peek(100).lines).toEqual(lines(6, 14));
    q.close();
  });

  it('keeps arrival order after it has emptied', () => {
    const q = new DiskQueue(file, 10);
    q.append(lines(0, 3));
    q.remove(q.peek(10).lastId);
    expect(q.size).toBe(0);
    q.append(lines(3, 5));
    const chunk = q.peek(10);
    expect(chunk.lines).toEqual(lines(3, 5));
    expect(chunk.lastId).toBeGreaterThan(3);
    q.close();
  });
});
