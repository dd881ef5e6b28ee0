// Cuts a time range into the tariff's periods (one price all along, or peak and off-peak by the wall clock of
// the tariff's time zone, daylight saving included). Pure: only Intl's time zone data.
import type { Tariff } from './tariff.js';

export type PeriodKind = 'single' | 'peak' | 'off-peak';

export interface TariffPeriod {
  from: number;
  to: number;
  kind: PeriodKind;
  pricePerKWh: number;
}

const DAY_MS = 86_400_000;
/** Ten years of days: a batch is weeks long; a longer range is a mistake, refused rather than looped over. */
export const MAX_PRICED_DAYS = 3653;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface Local {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function local(zone: string, t: number): Local {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year as number,
    mo: parts.month as number,
    d: parts.day as number,
    h: parts.hour as number,
    mi: parts.minute as number,
    s: parts.second as number,
  };
}

/** How far the zone's wall clock is ahead of UTC at t. */
function offsetAt(zone: string, t: number): number {
  const l = local(zone, t);
  return Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s) - Math.floor(t / 1000) * 1000;
}

/** The instant the zone's wall clock shows `minute` past midnight on local date y-mo-d. */
function instantOf(zone: string, y: number, mo: number, d: number, minute: number): number {
  const wall = Date.UTC(y, mo - 1, d, 0, minute);
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function isOffPeak(minute: number, hours: ReadonlyArray<{ from: string; to: string }>): boolean {
  return hours.some(({ from, to }) => {
    const a = minuteOf(from);
    const b = minuteOf(to);
    return a < b ? minute >= a && minute < b : minute >= a || minute < b;
  });
}

/** [from, to) cut into consecutive periods of one price each, covering it exactly. */
export function tariffPeriods(tariff: Tariff, from: number, to: number): TariffPeriod[] {
  if (!(to > from)) return [];
  const offPeak = tariff.offPeak;
  if (offPeak === undefined) return [{ from, to, kind: 'single', pricePerKWh: tariff.pricePerKWh }];
  const days = Math.ceil((to - from) / DAY_MS) + 2;
  if (days > MAX_PRICED_DAYS) throw new RangeError(`a range of ${days} days is too long to price`);
  const zone = tariff.timeZone;
  const minutes = [...new Set(offPeak.hours.flatMap((h) => [minuteOf(h.from), minuteOf(h.to)]))];
  // Every boundary on every local day the range touches, from the day before to the day after.
  const start = local(zone, from);
  const cuts = new Set<number>([from, to]);
  for (let i = -1; i < days; i++) {
    const day = new Date(Date.UTC(start.y, start.mo - 1, start.d + i));
    for (const m of minutes) {
      const at = instantOf(zone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), m);
      if (at > from && at < to) cuts.add(at);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const periods: TariffPeriod[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as number;
    const b = sorted[i + 1] as number;
    const mid = local(zone, a + (b - a) / 2);
    const off = isOffPeak(mid.h * 60 + mid.mi, offPeak.hours);
    const kind: PeriodKind = off ? 'off-peak' : 'peak';
    const last = periods.at(-1);
    if (last !== undefined && last.kind === kind) last.to = b;
    else periods.push({ from: a, to: b, kind, pricePerKWh: off ? offPeak.pricePerKWh : tariff.pricePerKWh });
  }
  return periods;
}
