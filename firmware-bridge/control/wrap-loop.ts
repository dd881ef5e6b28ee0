// The heating loop for a heater on the vessel (a wrap or belt). Its heat goes into the beer, not the air,
// so a chamber target cannot steer it: a PI on the beer error asks for a heater duty, and a modulator
// turns that duty into pulses within the heater's timing. Design notes: firmware-bridge/README.md.
import type { OutputTimer } from './output-timer.js';

export interface WrapTuning {
  /** Heater duty asked per °C of beer error. */
  wrapKp: number;
  /** Integral time of the loop, seconds. */
  wrapTiS: number;
  /**
   * Accumulated duty (seconds of full power) that makes one wrap pulse. Short: all of its heat goes into the
   * beer at once, so the pulse's energy is the beer's ripple (100 W for 60 s ≈ 0.06 °C in 20 L).
   */
  wrapPulseS: number;
}

export type WrapDecision = 'heat' | 'wait' | 'idle';

export class WrapLoop {
  /** The duty the beer needs on average; 0 means the heater has nothing left to do. */
  integral = 0;
  /** Duty asked minus duty delivered, integrated. */
  #pulse = 0;

  constructor(readonly t: WrapTuning) {}

  reset(): void {
    this.integral = 0;
    this.#pulse = 0;
  }

  /** Outputs were forced off: forget the pulse in progress, keep what the beer needs on average. */
  clearPulse(): void {
    this.#pulse = 0;
  }

  /** `error`: beer target minus beer, °C (positive: the beer is too cold). */
  step(error: number, dt: number, timer: OutputTimer, now: number): WrapDecision {
    const t = this.t;
    const unclamped = t.wrapKp * error + this.integral;
    const duty = clamp(unclamped, 0, 1);
    // No integration towards a limit the duty already sits at (anti-windup); the floor of 0 also means
    // a beer above target drains the integral, which is what hands the beer over to the cooling side.
    if (!(unclamped >= 1 && error > 0)) {
      this.integral = clamp(this.integral + (t.wrapKp * error * dt) / t.wrapTiS, 0, 1);
    }
    const on = timer.isOn('heat');
    this.#pulse = clamp(this.#pulse + (duty - (on ? 1 : 0)) * dt, -t.wrapPulseS, 2 * t.wrapPulseS);
    if (on) {
      const stop = (this.#pulse <= 0 && timer.mayStop('heat', now)) || timer.mustStop('heat', now);
      return stop ? 'idle' : 'heat';
    }
    // Like the chamber loop's pulses: only while the beer is on the side of the target the heat corrects.
    if (this.#pulse >= t.wrapPulseS && duty > 0 && error > 0) {
      return timer.mayStart('heat', now) ? 'heat' : 'wait';
    }
    return 'idle';
  }
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
