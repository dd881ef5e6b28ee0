// A batch's electricity: each output's on-time on each fermenter it occupied (from the recorded duty), times
// the output's declared power, priced period by period. Pure: the caller hands in the duty and the range.

import type { Tariff } from './tariff.js';
import { type PeriodKind, type TariffPeriod, tariffPeriods } from './tariff-periods.js';

/** Part of an output's history: over [from, to) it was on `duty` of the time (0 to 1). */
export interface DutySegment {
  from: number;
  to: number;
  duty: number;
}

export type OutputName = 'heat' | 'cool';

export interface OutputUse {
  output: OutputName;
  /** Declared power (outputs.<name>.loadW); null when not declared, so its energy is unknown. */
  loadW: number | null;
  segments: readonly DutySegment[];
}

/** One fermenter the batch occupied, over [from, to). */
export interface FermenterUse {
  fermenterId: string;
  from: number;
  to: number;
  outputs: readonly OutputUse[];
}

export interface EnergyLine {
  fermenterId: string;
  output: OutputName;
  period: PeriodKind;
  loadW: number;
  onHours: number;
  kWh: number;
  pricePerKWh: number;
  /** Rounded to the cent, line by line: the lines add up to the total exactly. */
  cents: number;
}

export interface EnergyCost {
  lines: EnergyLine[];
  kWh: number;
  cents: number;
  /** Outputs that ran without a declared power: their hours are known, their energy is not. */
  undeclared: Array<{ fermenterId: string; output: OutputName; onHours: number }>;
}

const HOUR_MS = 3_600_000;

/** On-milliseconds of the segments inside each period (periods sorted and contiguous, segments any order). */
function onTimeByPeriod(segments: readonly DutySegment[], periods: readonly TariffPeriod[]): number[] {
  const on = periods.map(() => 0);
  const first = periods[0];
  const last = periods.at(-1);
  if (first === undefined || last === undefined) return on;
  for (const s of segments) {
    const duty = Number.isFinite(s.duty) ? Math.min(1, Math.max(0, s.duty)) : 0;
    const a = Math.max(s.from, first.from);
    const b = Math.min(s.to, last.to);
    if (!(b > a) || duty === 0) continue;
    // The first period ending after a: binary search, then walk while periods start before b.
    let lo = 0;
    let hi = periods.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((periods[mid] as TariffPeriod).to > a) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < periods.length && (periods[i] as TariffPeriod).from < b; i++) {
      const p = periods[i] as TariffPeriod;
      on[i] = (on[i] as number) + (Math.min(b, p.to) - Math.max(a, p.from)) * duty;
    }
  }
  return on;
}

export function priceEnergy(uses: readonly FermenterUse[], tariff: Tariff): EnergyCost {
  const lines: EnergyLine[] = [];
  const undeclared: EnergyCost['undeclared'] = [];
  for (const use of uses) {
    const periods = tariffPeriods(tariff, use.from, use.to);
    for (const out of use.outputs) {
      const on = onTimeByPeriod(out.segments, periods);
      const byKind = new Map<PeriodKind, { ms: number; price: number }>();
      periods.forEach((p, i) => {
        const k = byKind.get(p.kind) ?? { ms: 0, price: p.pricePerKWh };
        k.ms += on[i] as number;
        byKind.set(p.kind, k);
      });
      const totalMs = [...byKind.values()].reduce((s, k) => s + k.ms, 0);
      if (out.loadW === null) {
        if (totalMs > 0)
          undeclared.push({ fermenterId: use.fermenterId, output: out.output, onHours: totalMs / HOUR_MS });
        continue;
      }
      for (const [period, { ms, price }] of byKind) {
        if (ms <= 0) continue;
        const kWh = ((ms / HOUR_MS) * out.loadW) / 1000;
        lines.push({
          fermenterId: use.fermenterId,
          output: out.output,
          period,
          loadW: out.loadW,
          onHours: ms / HOUR_MS,
          kWh,
          pricePerKWh: price,
          cents: Math.round(kWh * price * 100),
        });
      }
    }
  }
  return {
    lines,
    kWh: lines.reduce((s, l) => s + l.kWh, 0),
    cents: lines.reduce((s, l) => s + l.cents, 0),
    undeclared,
  };
}
