import { describe, expect, it } from 'vitest';
import { dutySegments } from '../../history/duty.js';
import type { HistoryAnswer } from '../../history/reader.js';

const answer = (
  t: number[],
  heat: (number | null)[],
  bucketMs: number | null,
  to: number,
): HistoryAnswer => ({
  fermenterId: 'ale',
  from: t[0] ?? 0,
  to,
  level: bucketMs === null ? 'raw' : '5m',
  bucketMs,
  fields: ['heat'],
  t,
  series: { heat: { min: heat, mean: heat, max: heat } },
});

describe('an output’s duty from the history', () => {
  it('raw readings hold until the next one, never past a silence or the end', () => {
    const s = 1000;
    const a = answer([0, 10 * s, 20 * s, 1000 * s], [1, 0, 1, 1], null, 1010 * s);
    expect(dutySegments(a, 'heat', 60 * s)).toEqual([
      { from: 0, to: 10 * s, duty: 1 },
      // 20 s to 1000 s is a silence of the bridge: only the first minute counts.
      { from: 20 * s, to: 80 * s, duty: 1 },
      { from: 1000 * s, to: 1010 * s, duty: 1 },
    ]);
  });

  it('a bucket’s mean is its duty over the bucket; empty buckets count nothing', () => {
    const m = 300_000;
    const a = answer([0, m, 2 * m], [0.25, null, 1], m, 3 * m);
    expect(dutySegments(a, 'heat')).toEqual([
      { from: 0, to: m, duty: 0.25 },
      { from: 2 * m, to: 3 * m, duty: 1 },
    ]);
    expect(dutySegments(a, 'cool')).toEqual([]);
  });
});
