// Numbers as people read them in incident messages.
import type { OutputName, Probe } from '../types.js';

export function degC(v: number): string {
  const r = Math.round(v * 100) / 100;
  return `${r < 0 ? '−' : ''}${Math.abs(r)} °C`;
}

/** A temperature difference, always positive. */
export function deltaC(v: number): string {
  return `${Math.round(Math.abs(v) * 100) / 100} °C`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

export const PROBE_NAME: Record<Probe, string> = {
  beer: 'beer probe',
  chamber: 'chamber probe',
  ambient: 'room probe',
};
export const OUTPUT_NAME: Record<OutputName, string> = { heat: 'heater', cool: 'cooling (compressor)' };
