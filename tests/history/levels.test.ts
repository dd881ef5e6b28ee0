import { describe, expect, it } from 'vitest';
import { bucketCount, planQuery } from '../../history/levels.js';

const H = 3_600_000;
const T = Date.UTC(2026, 0, 1);
const plan = (spanMs: number, maxPoints = 1000, rawCount = spanMs / 1000, rawHorizon = 0) =>
  planQuery({ from: T, to: T + spanMs - 1, maxPoints, rawCount: () => rawCount, rawHorizon });
const levelOf = (p: ReturnType<typeof plan>) => (p.level === 'raw' ? 'raw' : p.level.name);

describe('choosing the level of a history query', () => {
  it('takes the coarsest level that still gives at least half of maxPoints buckets', () => {
    expect(levelOf(plan(10 * 60_000))).toBe('raw');
    expect(plan(10 * 60_000).bucketMs).toBeNull(); // 600 raw rows fit in 1000 points
    expect(plan(H)).toEqual({ level: 'raw', bucketMs: 3600 });
    expect(levelOf(plan(6 * H))).toBe('10s');
    expect(levelOf(plan(24 * H))).toBe('1m');
    expect(levelOf(plan(2 * 24 * H))).toBe('5m');
    expect(levelOf(plan(7 * 24 * H))).toBe('15m');
    expect(levelOf(plan(21 * 24 * H))).toBe('1h');
    expect(levelOf(plan(365 * 24 * H))).toBe('1h');
  });

  it('never gives more than maxPoints buckets, whatever the alignment', () => {
    for (const span of [H, 5 * H + 7, 24 * H, 24 * H + 1, 21 * 24 * H, 400 * 24 * H]) {
      for (const maxPoints of [1, 7, 100, 1000, 10_000]) {
        const p = plan(span, maxPoints, span / 1000);
        if (p.bucketMs === null) continue;
        expect(bucketCount(T, T + span - 1, p.bucketMs)).toBeLessThanOrEqual(maxPoints);
        expect(p.level === 'raw' || p.bucketMs % p.level.widthMs === 0).toBe(true);
      }
    }
  });

  it('answers from rollups when the range reaches past the raw retention', () => {
    expect(levelOf(plan(H, 1000, 3600, T + 1))).toBe('10s');
  });
});
