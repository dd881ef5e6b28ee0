// Temperatures are °C everywhere in cobrew; °F exists only on the screen and in what the reader types.
export type Unit = 'C' | 'F';

export function isUnit(v: unknown): v is Unit {
  return v === 'C' || v === 'F';
}

export function fromCelsius(c: number, unit: Unit): number {
  return unit === 'C' ? c : (c * 9) / 5 + 32;
}

/** A value typed in the reader's unit, back in °C, rounded to what a probe can tell apart. */
export function toCelsius(v: number, unit: Unit): number {
  const c = unit === 'C' ? v : ((v - 32) * 5) / 9;
  return Math.round(c * 100) / 100;
}

/** Temperature differences (ramps, margins) scale but do not shift. */
export function deltaFromCelsius(c: number, unit: Unit): number {
  return unit === 'C' ? c : (c * 9) / 5;
}
