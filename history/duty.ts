// An output's duty over time, read from a history answer: the share of each point's time it was on. Raw
// readings hold until the next one (at most `maxGapMs`: past it the bridge was silent and nothing is
// assumed); a bucket's mean of the 0/1 readings is its duty over the bucket's width. Pure.
import type { HistoryAnswer } from './reader.js';

export interface DutySegment {
  from: number;
  to: number;
  duty: number;
}

/** A state is published at least every few seconds; a longer silence is an outage, not on-time. */
export const DEFAULT_MAX_GAP_MS = 5 * 60_000;

export function dutySegments(
  answer: HistoryAnswer,
  field: 'heat' | 'cool',
  maxGapMs = DEFAULT_MAX_GAP_MS,
): DutySegment[] {
  const mean = answer.series[field]?.mean;
  if (mean === undefined) return [];
  const out: DutySegment[] = [];
  const { t, bucketMs } = answer;
  for (let i = 0; i < t.length; i++) {
    const duty = mean[i];
    const from = t[i] as number;
    if (duty === null || duty === undefined) continue;
    const end =
      bucketMs !== null ? from + bucketMs : Math.min(t[i + 1] ?? answer.to, from + maxGapMs, answer.to);
    if (end > from && duty > 0) out.push({ from, to: end, duty });
  }
  return out;
}
