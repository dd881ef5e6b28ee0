// Figures of one controller on one scenario, taken from the simulator's physical truth each second.
import type { Outputs, TimingLimits } from '../../firmware-bridge/types.js';

/** Arrival means coming within this of a new target; the same band starts the settled figures. */
export const ARRIVAL_BAND_C = 0.5;

/** A target that moves by more than the band at once is a jump to arrive at; a ramp's small moves are not. */
export function isTargetJump(lastC: number, targetC: number): boolean {
  return !Number.isNaN(lastC) && Math.abs(targetC - lastC) > ARRIVAL_BAND_C;
}

export interface ControllerFigures {
  rmsC: number;
  /** RMS once the beer has first come within 0.5 °C of each new target: the part control can change. */
  settledRmsC: number;
  maxDevC: number;
  overshootC: number;
  compressorStarts: number;
  heaterStarts: number;
  violationS: number;
  /** Seconds in which the safety guard had to change what the controller asked for. */
  guardOverrideS: number;
  kWh: number;
  /** Seconds from each target jump until the beer came within the band (+∞: it never did). */
  arrivalS: number[];
}

/**
 * Checks the physical relays against the timing limits, independently of the guard that enforces them:
 * both on, min-on, min-off and heat↔cool dead-time shortfalls all count in seconds.
 */
class ViolationMeter {
  #seconds = 0;
  readonly #on = { heat: false, cool: false };
  readonly #since = { heat: Number.NEGATIVE_INFINITY, cool: Number.NEGATIVE_INFINITY };
  constructor(readonly limits: TimingLimits) {}

  observe(relays: Outputs, tS: number, dtS: number): void {
    if (relays.heat && relays.cool) this.#seconds += dtS;
    for (const o of ['heat', 'cool'] as const) {
      if (relays[o] === this.#on[o]) continue;
      const heldS = tS - this.#since[o];
      const other = o === 'heat' ? 'cool' : 'heat';
      if (relays[o]) {
        this.#seconds += Math.max(0, this.limits[o].minOffS - heldS);
        if (!this.#on[other])
          this.#seconds += Math.max(0, this.limits.interlockDeadS - (tS - this.#since[other]));
      } else {
        this.#seconds += Math.max(0, this.limits[o].minOnS - heldS);
      }
      this.#on[o] = relays[o];
      this.#since[o] = tS;
    }
  }
  get seconds(): number {
    return this.#seconds;
  }
}

/**
 * cobrew's figures against BrewPi-style's on the same scenario, as the targets are set: its own overshoot,
 * and settled RMS, energy and compressor starts as ratios (starts against at least one).
 */
export function againstBrewPi(cobrew: ControllerFigures, brewpi: ControllerFigures) {
  return {
    overshootC: cobrew.overshootC,
    settledRmsRatio: cobrew.settledRmsC / brewpi.settledRmsC,
    energyRatio: cobrew.kWh / brewpi.kWh,
    startsRatio: cobrew.compressorStarts / Math.max(1, brewpi.compressorStarts),
  };
}

export class FigureCollector {
  #n = 0;
  #sumSq = 0;
  #settledN = 0;
  #settledSumSq = 0;
  #maxDev = 0;
  #overshoot = 0;
  #starts = { heat: 0, cool: 0 };
  #prev = { heat: false, cool: false };
  #overrideS = 0;
  #lastTarget = Number.NaN;
  #direction = 0;
  #settled = true;
  #jumpAt = Number.NaN;
  readonly #arrivals: number[] = [];
  readonly #violations: ViolationMeter;

  constructor(limits: TimingLimits) {
    this.#violations = new ViolationMeter(limits);
  }

  observe(
    tS: number,
    dtS: number,
    beerC: number,
    targetC: number,
    relays: Outputs,
    requested: Outputs,
    applied: Outputs,
  ): void {
    if (targetC !== this.#lastTarget) {
      if (!Number.isNaN(this.#lastTarget)) {
        this.#direction = Math.sign(targetC - this.#lastTarget);
        // A ramp moves the target a little each tick; only a jump needs settling.
        if (isTargetJump(this.#lastTarget, targetC)) {
          if (!this.#settled) this.#arrivals.push(Number.POSITIVE_INFINITY);
          this.#settled = false;
          this.#jumpAt = tS;
        }
      }
      this.#lastTarget = targetC;
    }
    const err = beerC - targetC;
    this.#n++;
    this.#sumSq += err * err;
    if (!this.#settled && Math.abs(err) <= ARRIVAL_BAND_C) {
      this.#settled = true;
      this.#arrivals.push(tS - this.#jumpAt);
    }
    if (this.#settled) {
      this.#settledN++;
      this.#settledSumSq += err * err;
      // Overshoot: how far the beer goes past the target in the direction it was last moved.
      if (this.#direction !== 0) this.#overshoot = Math.max(this.#overshoot, this.#direction * err);
    }
    this.#maxDev = Math.max(this.#maxDev, Math.abs(err));
    for (const o of ['heat', 'cool'] as const) {
      if (relays[o] && !this.#prev[o]) this.#starts[o]++;
      this.#prev[o] = relays[o];
    }
    if (requested.heat !== applied.heat || requested.cool !== applied.cool) this.#overrideS += dtS;
    this.#violations.observe(relays, tS, dtS);
  }

  figures(energyWh: { heat: number; cool: number }): ControllerFigures {
    return {
      rmsC: Math.sqrt(this.#sumSq / Math.max(1, this.#n)),
      settledRmsC: Math.sqrt(this.#settledSumSq / Math.max(1, this.#settledN)),
      maxDevC: this.#maxDev,
      overshootC: this.#overshoot,
      compressorStarts: this.#starts.cool,
      heaterStarts: this.#starts.heat,
      violationS: this.#violations.seconds,
      guardOverrideS: this.#overrideS,
      kWh: (energyWh.heat + energyWh.cool) / 1000,
      arrivalS: this.#settled ? [...this.#arrivals] : [...this.#arrivals, Number.POSITIVE_INFINITY],
    };
  }
}
