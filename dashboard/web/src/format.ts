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
  return {
    unitLabel: u === 'C' ? '°C' : '°F',
    temp: (c: number | null | undefined) =>
      c === null || c === undefined ? '—' : `${oneDecimal.format(fromCelsius(c, u))}\u00a0°${u}`,
    gravity: (g: number | null | undefined) =>
      g === null || g === undefined ? '—' : threeDecimals.format(g),
    volts: (v: number | null | undefined) =>
      v === null || v === undefined ? '—' : `${twoDecimals.format(v)}\u00a0V`,
    dateTime: (ms: number) => dateTime.format(ms),
    shortDateTime: (ms: number) => short.format(ms),
  };
});
