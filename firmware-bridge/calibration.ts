// `sensors.<probe>.offsetC`: each probe's calibration, added to its readings before anything judges or
// uses them. The DS18B20's fault values (−127 disconnected, 85 power-on) are not temperatures and are
// passed on as they are, so the guard still recognises them.
import type { FermenterConfig } from './config-schema.js';
import { DISCONNECTED_C, POWER_ON_C } from './safety/rules/plausibility.js';
import type { Probe, SensorFrame, SensorSample } from './types.js';

const PROBES: readonly Probe[] = ['beer', 'chamber', 'ambient'];

export function calibrate(frame: SensorFrame, sensors: FermenterConfig['sensors']): SensorFrame {
  const out: SensorFrame = { ...frame };
  for (const p of PROBES) {
    const s: SensorSample | null = frame[p];
    const offset = sensors[p].offsetC;
    if (s === null || offset === 0 || s.value === DISCONNECTED_C || s.value === POWER_ON_C) continue;
    out[p] = { ...s, value: s.value + offset };
  }
  return out;
}
