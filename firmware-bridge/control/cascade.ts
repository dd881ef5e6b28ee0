// cobrew's fermentation controller: a beer loop that sets the chamber target and a chamber loop that
// switches heat and cool within the compressor's timing limits. Design notes: firmware-bridge/README.md.
import type { ControlInput, ControlOutput, Controller, Outputs, TimingLimits } from '../types.js';
import { OutputTimer } from './output-timer.js';

export interface CascadeTuning {
  /** Chamber °C asked per °C of beer error. */
  beerKp: number;
  /** Integral time of the beer loop, seconds. */
  beerTiS: number;
  /** The beer's thermal time constant in the chamber: how far the chamber must lead a ramp. */
  beerTauS: number;
  /** Time constant of the filter on the beer probe, seconds. */
  beerFilterS: number;
  chamberMinC: number;
  chamberMaxC: number;
  /** Chamber error area (°C·s) that starts the output which pulls the chamber back to its target. */
  bandCS: number;
  /** Band multiplier for the output that works against the passive drift (heating in a warm room). */
  contraryBandFactor: number;
}

export const DEFAULT_TUNING: Readonly<CascadeTuning> = Object.freeze({
  beerKp: 8,
  beerTiS: 3 * 3600,
  beerTauS: 8 * 3600,
  beerFilterS: 120,
  chamberMinC: 0,
  chamberMaxC: 30,
  bandCS: 900,
  contraryBandFactor: 4,
});

/** Beyond this chamber error the chamber cannot follow, so the beer integral stops growing (anti-windup). */
const CHAMBER_LAG_LIMIT_C = 2;
const INTEGRAL_LIMIT_C = 12;

export class CascadeController implements Controller {
  readonly name = 'cobrew';
  readonly #t: CascadeTuning;
  readonly #timer: OutputTimer;
  #lastNow = Number.NaN;
  #beerF = Number.NaN;
  #integral = 0;
  /** Time integral of (chamber − target): its sign says which output the chamber needs on average. */
  #sigma = 0;
  #chamberTarget = Number.NaN;

  constructor(limits: TimingLimits, tuning: Partial<CascadeTuning> = {}) {
    this.#t = { ...DEFAULT_TUNING, ...tuning };
    this.#timer = new OutputTimer(limits);
  }

  step(input: ControlInput): ControlOutput {
    const { now, readings, target } = input;
    const dt = Number.isNaN(this.#lastNow) ? 0 : (now - this.#lastNow) / 1000;
    this.#lastNow = now;
    this.#timer.observe(input.applied, now);
    if (readings.beer !== null) {
      this.#beerF = Number.isNaN(this.#beerF)
        ? readings.beer
        : this.#beerF + (readings.beer - this.#beerF) * Math.min(1, dt / this.#t.beerFilterS);
    }

    if (target.mode === 'off' || readings.chamber === null) {
      this.#sigma = 0;
      return this.#finish(false, false, target.mode === 'off' ? 'off' : 'no-chamber-reading');
    }

    const chamber = readings.chamber;
    const chamberTarget =
      target.mode === 'chamber'
        ? target.chamberC
        : this.#beerLoop(target.beerC, target.slopeCPerS, chamber, dt, readings.beer !== null);
    this.#chamberTarget = chamberTarget;
    return this.#chamberLoop(chamber, chamberTarget, readings.ambient, dt, now);
  }

  /** PI on the beer error plus the ramp feed-forward; the result is the chamber target. */
  #beerLoop(beerC: number, slope: number, chamber: number, dt: number, haveBeer: boolean): number {
    const t = this.#t;
    if (!haveBeer || Number.isNaN(this.#beerF)) return clamp(beerC, t.chamberMinC, t.chamberMaxC);
    const error = beerC - this.#beerF;
    const feedForward = beerC + t.beerTauS * slope;
    const unclamped = feedForward + t.beerKp * error + this.#integral;
    const out = clamp(unclamped, t.chamberMinC, t.chamberMaxC);
    // Conditional integration: no growth while the output is saturated that way, or while the chamber
    // lags its target so far that more demand would only wind up.
    const saturated = (out !== unclamped && Math.sign(error) === Math.sign(unclamped - out)) || false;
    const lagging = Math.abs(chamber - this.#chamberTarget) > CHAMBER_LAG_LIMIT_C;
    if (!saturated && !lagging) {
      this.#integral = clamp(
        this.#integral + (t.beerKp * error * dt) / t.beerTiS,
        -INTEGRAL_LIMIT_C,
        INTEGRAL_LIMIT_C,
      );
    }
    return out;
  }

  /**
   * Sigma-delta on the chamber error: the chamber's average, not its instant value, is what the beer
   * feels, so switching when the error area crosses a band holds the average on target whatever the
   * evaporator lag, and the band sets how often the compressor starts.
   */
  #chamberLoop(chamber: number, target: number, ambient: number | null, dt: number, now: number): ControlOutput {
    const t = this.#t;
    const timer = this.#timer;
    const band = t.bandCS;
    this.#sigma = clamp(this.#sigma + (chamber - target) * dt, -2 * band * t.contraryBandFactor, 2 * band);
    // Which way the chamber drifts with everything off: towards the room and the beer.
    const passive = ambient === null ? (Number.isNaN(this.#beerF) ? target : this.#beerF) : ambient;
    const coolBand = passive < target - 0.5 ? band * t.contraryBandFactor : band;
    const heatBand = passive > target + 0.5 ? band * t.contraryBandFactor : band;
    const s = this.#sigma;

    if (timer.isOn('cool')) {
      const stop = (s <= 0 && timer.mayStop('cool', now)) || timer.mustStop('cool', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(false, true, 'cooling');
    }
    if (timer.isOn('heat')) {
      const stop = (s >= 0 && timer.mayStop('heat', now)) || timer.mustStop('heat', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(true, false, 'heating');
    }
    if (s >= coolBand) {
      return timer.mayStart('cool', now)
        ? this.#finish(false, true, 'cooling')
        : this.#finish(false, false, 'waiting-to-cool');
    }
    if (s <= -heatBand) {
      return timer.mayStart('heat', now)
        ? this.#finish(true, false, 'heating')
        : this.#finish(false, false, 'waiting-to-heat');
    }
    return this.#finish(false, false, 'idle');
  }

  #finish(heat: boolean, cool: boolean, state: string): ControlOutput {
    const request: Outputs = { heat, cool };
    return { request, chamberTargetC: Number.isNaN(this.#chamberTarget) ? null : this.#chamberTarget, state };
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
