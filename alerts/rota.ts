// Weekly time: who is on duty at a moment, and whether a moment falls in someone's quiet hours, in the
// space's time zone.
import { DAYS, type RotaSlot } from './config-schema.js';

interface LocalTime {
  day: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: number, timeZone: string | undefined): LocalTime {
  const zone = timeZone ?? '';
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const day = DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a daily span from→to (past midnight when to ≤ from) holds the minute of the day. */
function inSpan(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

function slotCovers(slot: RotaSlot, t: LocalTime): boolean {
  const from = minutesOf(slot.from);
  const to = minutesOf(slot.to);
  const days = slot.days.map((d) => DAYS.indexOf(d));
  if (from < to) return days.includes(t.day) && t.minute >= from && t.minute < to;
  // Past midnight: the evening of a listed day, or the morning after it.
  return (days.includes(t.day) && t.minute >= from) || (days.includes((t.day + 6) % 7) && t.minute < to);
}

/** Everyone on duty at `at`, in rota order. */
export function onDuty(rota: readonly RotaSlot[], at: number, timeZone?: string): string[] {
  const t = localTime(at, timeZone);
  return [...new Set(rota.filter((s) => slotCovers(s, t)).map((s) => s.user))];
}

/** The rota's people in order, each once: who the next person is when an alert escalates. */
export function rotaOrder(rota: readonly RotaSlot[]): string[] {
  return [...new Set(rota.map((s) => s.user))];
}

/** The first person on the rota after those already told, going round. */
export function nextOnRota(
  rota: readonly RotaSlot[],
  told: ReadonlySet<string>,
  after: readonly string[],
): string | null {
  const order = rotaOrder(rota);
  const last = Math.max(-1, ...after.map((u) => order.indexOf(u)));
  for (let i = 1; i <= order.length; i++) {
    const user = order[(last + i) % order.length] as string;
    if (!told.has(user)) return user;
  }
  return null;
}

export interface QuietHours {
  from: string;
  to: string;
}

export function inQuietHours(quiet: QuietHours, at: number, timeZone?: string): boolean {
  return inSpan(localTime(at, timeZone).minute, minutesOf(quiet.from), minutesOf(quiet.to));
}

/** The first minute at or after `at` outside the quiet hours (at most a day ahead). */
export function quietEnd(quiet: QuietHours, at: number, timeZone?: string): number {
  for (let k = 0; k <= 1440; k++) {
    const t = Math.ceil(at / 60_000) * 60_000 + k * 60_000;
    if (!inQuietHours(quiet, t, timeZone)) return Math.max(t, at);
  }
  return at;
}
