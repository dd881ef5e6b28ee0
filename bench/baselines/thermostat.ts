// Benchmark baseline: what most home brewers use, an Inkbird ITC-308-style on/off thermostat on one probe.
// Cooling starts at setpoint + differential and stops at the setpoint; heating starts at setpoint −
// differential and stops at the setpoint (the ITC-308's TS/CD/HD rule). The compressor delay keeps
// cooling off for a while after it stopped. Facts and choices: bench/baselines/README.md.
import type { ControlInput, Controller, ControlOutput } from '../../firmware-bridge/types.js';

export interface ThermostatSettings {
  /** Cooling differential (CD) and heating differential (HD), °C. */
  differentialC: number;
  /** Compressor delay (PT): cooling may not start again within this many seconds of stopping. */
  compressorDelayS: number;
}

export const THERMOSTAT_DEFAULTS: Readonly<ThermostatSettings> = Object.freeze({
  differentialC: 0.5,
  compressorDelayS: 180,
});

export class ThermostatController implements Controller {
  readonly name = 'thermostat';
  readonly #differentialC: number;
  readonly #compressorDelayMs: number;
  #heat = false;
  #cool = false;
  #coolStoppedAt = Number.NEGATIVE_INFINITY;

  constructor(settings: Partial<ThermostatSettings> = {}) {
    const s = { ...THERMOSTAT_DEFAULTS, ...settings };
    this.#differentialC = s.differentialC;
    this.#compressorDelayMs = s.compressorDelayS * 1000;
  }

  step(input: ControlInput): ControlOutput {
    const { now, readings, target } = input;
    if (target.mode === 'off') return this.#allOff(now, 'off', null);
    const chamberMode = target.mode === 'chamber';
    const setpoint = chamberMode ? target.chamberC : target.beerC;
    const chamberTargetC = chamberMode ? target.chamberC : null;
    const pv = chamberMode ? readings.chamber : readings.beer;
    // Like the ITC-308's probe fault: both relays off until the probe reads again.
    if (pv === null) return this.#allOff(now, 'sensor-fault', chamberTargetC);

    if (this.#cool && pv <= setpoint) this.#stopCooling(now);
    if (this.#heat && pv >= setpoint) this.#heat = false;
    let waiting = false;
    if (!this.#cool && !this.#heat) {
      if (pv >= setpoint + this.#differentialC) {
        if (now - this.#coolStoppedAt >= this.#compressorDelayMs) this.#cool = true;
        else waiting = true;
      } else if (pv <= setpoint - this.#differentialC) {
        this.#heat = true;
      }
    }
    const state = this.#cool ? 'cooling' : this.#heat ? 'heating' : waiting ? 'waiting-to-cool' : 'idle';
    return { request: { heat: this.#heat, cool: this.#cool }, chamberTargetC, state };
  }

  #stopCooling(now: number): void {
    this.#cool = false;
    this.#coolStoppedAt = now;
  }

  #allOff(now: number, state: string, chamberTargetC: number | null): ControlOutput {
    if (this.#cool) this.#stopCooling(now);
    this.#heat = false;
    return { request: { heat: false, cool: false }, chamberTargetC, state };
  }
}
