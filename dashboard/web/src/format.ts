// Numbers and dates written the way each reader expects, in their chosen unit.
import { computed } from '@preact/signals';
import { locale, unit } from './prefs.js';
import { fromCelsius } from './units.js';

export const formats = computed(() => {
  const lang = locale.value;
  const u = unit.value;
  const oneDecimal = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const threeDecimals = new Intl.NumberFormat(lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const twoDecimals = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
  const short = new Intl.DateTimeFormat(lang, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const duration = (seconds: number) => {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s}\u00a0s`;
    if (s < 3600) return `${Math.floor(s / 60)}\u00a0min${s % 60 ? `\u00a0${s % 60}\u00a0s` : ''}`;
    return `${Math.floor(s / 3600)}\u00a0h\u00a0${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}\u00a0min`;
  };
  return {
    unitLabel: u === 'C' ? '°C' : '°F',
    temp: (c: number | null | undefined) =>
      c === null || c === undefined ? '—' : `${oneDecimal.format(fromCelsius(c, u))}\u00a0°${u}`,
    gravity: (g: number | null | undefined) =>
      g === null || g === undefined ? '—' : threeDecimals.format(g),
    volts: (v: number | null | undefined) =>
      v === null || v === undefined ? '—' : `${twoDecimals.format(v)}\u00a0V`,
    /** A wait as people say it: 45 s, 3 min 20 s, 1 h 05 min. */
    duration,
    /** A span of hours or days: 5 h 05 min, 3 d 4 h (3 j 4 h in French). */
    span: (seconds: number) => {
      const s = Math.max(0, Math.round(seconds));
      if (s < 2 * 86_400) return duration(s);
      const days = Math.floor(s / 86_400);
      const hours = Math.floor((s % 86_400) / 3600);
      return `${days}\u00a0${lang === 'fr' ? 'j' : 'd'}\u00a0${hours}\u00a0h`;
    },
    dateTime: (ms: number) => dateTime.format(ms),
    shortDateTime: (ms: number) => short.format(ms),
  };
});
