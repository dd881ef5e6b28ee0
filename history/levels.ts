// The resolutions a history answer can come from, and which one a query uses. Pure: no database here.

export type LevelName = 'raw' | '10s' | '1m' | '5m' | '15m' | '1h';

export interface RollupLevel {
  readonly name: Exclude<LevelName, 'raw'>;
  /** Bucket width in milliseconds; buckets are aligned to multiples of it since the epoch (UTC). */
  readonly widthMs: number;
  /** The table holding it. */
  readonly table: string;
}

/** Finest first. Every level is kept for the life of the log. */
export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { name: '10s', widthMs: 10_000, table: 'rollup_10s' },
  { name: '1m', widthMs: 60_000, table: 'rollup_1m' },
  { name: '5m', widthMs: 5 * 60_000, table: 'rollup_5m' },
  { name: '15m', widthMs: 15 * 60_000, table: 'rollup_15m' },
  { name: '1h', widthMs: 3_600_000, table: 'rollup_1h' },
];

/** A fermenter's raw horizon: its newest reading, bounded by the local clock, minus the retention. */
export function horizonOf(lastT: number | null, now: number, retentionMs: number): number {
  return lastT === null ? Number.NEGATIVE_INFINITY : Math.min(lastT, now) - retentionMs;
}

export const bucketStart = (t: number, widthMs: number): number => Math.floor(t / widthMs) * widthMs;

/** How many buckets of `widthMs`, aligned to the epoch, cover [from, to] (both inclusive). */
export const bucketCount = (from: number, to: number, widthMs: number): number =>
  Math.floor(to / widthMs) - Math.floor(from / widthMs) + 1;

export type Plan =
  /** Raw rows as they are: the range holds at most maxPoints of them. */
  | { level: 'raw'; bucketMs: null }
  /** Raw rows grouped into buckets of bucketMs (min/mean/max per bucket). */
  | { level: 'raw'; bucketMs: number }
  /** Buckets of `level`, merged k at a time into buckets of bucketMs = k × the level's width. */
  | { level: RollupLevel; bucketMs: number };

export interface PlanInput {
  from: number;
  to: number;
  maxPoints: number;
  /** Raw rows in [from, to]; asked only when raw resolution is wanted (a count is cheap but not free). */
  rawCount: () => number;
  /** Raw rows older than this are gone (retention): a range reaching before it is answered from rollups. */
  rawHorizon: number;
}

/**
 * The coarsest level that still has enough resolution, i.e. gives at least half of maxPoints buckets over
 * the range (its bucket is at most twice range ÷ maxPoints wide), merged k buckets at a time so that at
 * most maxPoints come out. Half is plenty for a chart, since merging keeps each bucket's min and max (peaks
 * stay visible whatever the zoom), and it bounds the rows a query reads to a few times maxPoints. Ranges
 * too short for the finest rollup are answered from raw rows, bucketed only when there are too many.
 */
export function planQuery({ from, to, maxPoints, rawCount, rawHorizon }: PlanInput): Plan {
  const wanted = (to - from + 1) / maxPoints;
  const finest = ROLLUP_LEVELS[0] as RollupLevel;
  if (finest.widthMs > 2 * wanted && from >= rawHorizon) {
    if (rawCount() <= maxPoints) return { level: 'raw', bucketMs: null };
    return { level: 'raw', bucketMs: widenToFit(from, to, maxPoints, 1, Math.max(1, Math.ceil(wanted))) };
  }
  let level = finest;
  for (const l of ROLLUP_LEVELS) if (l.widthMs <= 2 * wanted) level = l;
  const k = widenToFit(from, to, maxPoints, level.widthMs, Math.max(1, Math.ceil(wanted / level.widthMs)));
  return { level, bucketMs: k * level.widthMs };
}

/** How many k the search below tries one by one before taking a k that fits by construction. */
const WIDEN_TRIES = 64;

/**
 * The smallest k from `start` up whose buckets of k × unit, aligned, over [from, to] number ≤ maxPoints,
 * tried at most WIDEN_TRIES times; then `sure`, a k that fits whatever the alignment. The loop is bounded by
 * that count, not by the numbers: above 2^53 `k += 1` would change nothing. Needs 0 ≤ from ≤ to.
 */
function widenToFit(from: number, to: number, maxPoints: number, unit: number, start: number): number {
  // n buckets of width w cover at most floor(span / w) + 2 of them; one bucket holds [0, to] once w > to.
  const sure =
    maxPoints === 1 ? Math.floor(to / unit) + 1 : Math.floor((to - from) / (unit * (maxPoints - 1))) + 1;
  const fits = (k: number) => bucketCount(from, to, k * unit) <= maxPoints;
  for (let i = 0, k = start; i < WIDEN_TRIES && k < sure; i++, k++) if (fits(k)) return k;
  return start >= sure && fits(start) ? start : sure;
}
