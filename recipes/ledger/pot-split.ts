// Pot split: an amount shared among the contributors of a recipe's lineage in proportion to the points of
// their ledger events (each event keeps the weight of the rule in force when it was recorded).
//
// Rounding, so that the shares add up to the amount exactly: every contributor first gets their exact share
// cut down to the cent; the cents left over (fewer than the number of contributors) go one each to the
// largest remainders (largest remainder method). Equal remainders go to the contributor whose name comes
// first in JavaScript string order (UTF-16 code units). The same ledger and amount always give the same split.
import { formatCents, formatFraction } from './money.js';
import type { ContributionKind } from './rules.js';

export interface Contribution {
  eventId: string;
  seq: number;
  at: number;
  contributor: string;
  kind: ContributionKind;
  /** What was contributed, for people: e.g. `version 2 of “Pale ale”`. */
  subject: string;
  /** Setting name of the rule used, e.g. `commons.weights.version`. */
  rule: string;
  weight: number;
}

export interface SplitLine extends Contribution {
  /** This event's exact part of the amount, with six decimals (cut, `…` when not exact). */
  exact: string;
}

export interface Share {
  contributor: string;
  points: number;
  /** points / total points, e.g. "12/37". */
  fraction: string;
  /** Exact share with six decimals (cut, `…` when not exact). */
  exact: string;
  /** Cents from cutting the exact share, and the cent the largest remainder added (0 or 1). */
  floor: string;
  extraCent: 0 | 1;
  amount: string;
  lines: SplitLine[];
}

export interface PotSplit {
  amount: string;
  totalPoints: number;
  shares: Share[];
  method: string;
}

export const SPLIT_METHOD =
  'Shares in proportion to ledger points; each cut to the cent, then the cents left over go one each to the ' +
  'largest remainders, equal remainders to the name first in string (UTF-16 code unit) order.';

/** Splits `cents` among the contributions. Throws when there is nothing to split by (no points). */
export function splitPot(cents: bigint, contributions: readonly Contribution[]): PotSplit {
  const total = BigInt(contributions.reduce((sum, c) => sum + c.weight, 0));
  if (total === 0n) throw new RangeError('no contribution carries any points');
  const byName = new Map<string, Contribution[]>();
  for (const c of [...contributions].sort((a, b) => a.seq - b.seq)) {
    byName.set(c.contributor, [...(byName.get(c.contributor) ?? []), c]);
  }
  const exactText = (numerator: bigint) => {
    const f = formatFraction(numerator, total);
    return f.exact ? f.text : `${f.text}…`;
  };
  const draft = [...byName].map(([contributor, list]) => {
    const points = BigInt(list.reduce((sum, c) => sum + c.weight, 0));
    return {
      contributor,
      points,
      floor: (cents * points) / total,
      remainder: (cents * points) % total,
      list,
    };
  });
  let left = cents - draft.reduce((sum, d) => sum + d.floor, 0n);
  const byRemainder = [...draft].sort((a, b) =>
    a.remainder !== b.remainder
      ? b.remainder > a.remainder
        ? 1
        : -1
      : stringOrder(a.contributor, b.contributor),
  );
  const extra = new Set<string>();
  for (const d of byRemainder) {
    if (left === 0n) break;
    extra.add(d.contributor);
    left -= 1n;
  }
  const shares: Share[] = draft.map((d) => {
    const extraCent = extra.has(d.contributor) ? 1 : 0;
    return {
      contributor: d.contributor,
      points: Number(d.points),
      fraction: `${d.points}/${total}`,
      exact: exactText(cents * d.points),
      floor: formatCents(d.floor),
      extraCent,
      amount: formatCents(d.floor + BigInt(extraCent)),
      lines: d.list.map((c) => ({ ...c, exact: exactText(cents * BigInt(c.weight)) })),
    };
  });
  shares.sort((a, b) => b.points - a.points || stringOrder(a.contributor, b.contributor));
  return { amount: formatCents(cents), totalPoints: Number(total), shares, method: SPLIT_METHOD };
}

function stringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
