// cobrew's fermentation controller: a beer loop that sets the chamber target and a chamber loop that
// switches heat and cool within the compressor's timing limits. Design notes: firmware-bridge/README.md.
import type { ControlInput, Controller, ControlOutput, Outputs, TimingLimits } from '../types.js';
import { OutputTimer } from './output-timer.js';
import { SlopeMeter } from './slope-meter.js';

export interface CascadeTuning {
  /** Chamber °C asked per °C of beer error. */
  beerKp: number;
  /** Integral time of the beer loop, seconds. */
  beerTiS: number;
  /** The beer's thermal time constant in the chamber: how far the chamber must lead a ramp. */
  beerTauS: number;
  /** Time constant of the filter on the beer probe, seconds. */
  beerFilterS: number;
  /** How far ahead the beer loop looks along the beer's own motion: releases a crash before it overshoots. */
  beerLeadS: number;
  /** Beer motion below this (°C/h) is ripple, not a transient, and gets no lead. */
  leadDeadbandCPerH: number;
  chamberMinC: number;
  chamberMaxC: number;
  /** Duty asked per °C of chamber error. */
  chamberKp: number;
  /** Integral time of the chamber loop, seconds. */
  chamberTiS: number;
  /** Accumulated duty (seconds of full power) that makes one compressor pulse: sets how often it starts. */
  coolPulseS: number;
  /** The same for the heater, which does not mind starting often. */
  heatPulseS: number;
  /** An output does not start if the chamber's own drift would close the error within this time. */
  driftReachS: number;
}

export const DEFAULT_TUNING: Readonly<CascadeTuning> = Object.freeze({
  beerKp: 12,
  beerTiS: 1.5 * 3600,
  beerTauS: 8 * 3600,
  beerFilterS: 600,
  beerLeadS: 1800,
  leadDeadbandCPerH: 0.2,
  chamberMinC: -5,
  chamberMaxC: 30,
  chamberKp: 0.3,
  chamberTiS: 7200,
  coolPulseS: 300,
  heatPulseS: 90,
  driftReachS: 1200,
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
  /** The chamber loop's integral: the duty the chamber needs on average (+ heat, − cool). */
  #dutyI = 0;
  /** Duty asked minus duty delivered, integrated: the modulator's memory. */
  #pulse = 0;
  readonly #slope = new SlopeMeter(60, 300);
  readonly #beerSlope = new SlopeMeter(300, 1200);
  #beerRate = 0;
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
      this.#beerRate = this.#beerSlope.update(readings.beer, now);
    }

    if (target.mode === 'off' || readings.chamber === null) {
      this.#pulse = 0;
      return this.#finish(false, false, target.mode === 'off' ? 'off' : 'no-chamber-reading');
    }

    const chamber = readings.chamber;
    const chamberTarget =
      target.mode === 'chamber'
        ? target.chamberC
        : this.#beerLoop(target.beerC, target.slopeCPerS, chamber, dt, readings.beer !== null);
    this.#chamberTarget = chamberTarget;
    return this.#chamberLoop(chamber, chamberTarget, dt, now);
  }

  /** PI on the beer error plus the ramp feed-forward; the result is the chamber target. */
  #beerLoop(beerC: number, slope: number, chamber: number, dt: number, haveBeer: boolean): number {
    const t = this.#t;
    if (!haveBeer || Number.isNaN(this.#beerF)) return clamp(beerC, t.chamberMinC, t.chamberMaxC);
    // Lead: while the beer is already moving towards its target, count only the error that its own motion
    // will not close within beerLeadS, so a crash is released before it overshoots. It may shrink the error
    // to zero but never flip it: then it cannot drive the other output and start a limit cycle.
    const raw = beerC - this.#beerF;
    const speed = Math.max(0, Math.abs(this.#beerRate) - t.leadDeadbandCPerH / 3600);
    const closing = Math.sign(this.#beerRate) === Math.sign(raw);
    const error = closing ? Math.sign(raw) * Math.max(0, Math.abs(raw) - speed * t.beerLeadS) : raw;
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
   * The chamber loop asks for a duty, not for on/off: a PI turns the chamber error into a duty between
   * full cooling (-1) and full heating (+1), and a modulator turns that duty into pulses whose lengths
   * respect the compressor's timing. The beer feels the chamber's average, so an average held on target
   * with short, even pulses beats a thermostat band around it.
   */
  #chamberLoop(chamber: number, target: number, dt: number, now: number): ControlOutput {
    const t = this.#t;
    const timer = this.#timer;
    const e = target - chamber;
    this.#dutyI = clamp(this.#dutyI + (t.chamberKp * e * dt) / t.chamberTiS, -1, 1);
    const u = clamp(t.chamberKp * e + this.#dutyI, -1, 1);
    const y = timer.isOn('heat') ? 1 : timer.isOn('cool') ? -1 : 0;
    this.#pulse = clamp(this.#pulse + (u - y) * dt, -2 * t.coolPulseS, 2 * t.heatPulseS);
    const p = this.#pulse;
    // Never start an output while the chamber is drifting towards its target by itself fast enough to
    // get there soon: after a compressor run the chamber warms back on its own, and heating it then only
    // wastes energy and makes ripple (and the reverse after heating).
    const slope = this.#slope.update(chamber, now);
    const reachS = t.driftReachS;
    const wantCool = !(slope < 0 && -e < -slope * reachS);
    const wantHeat = !(slope > 0 && e < slope * reachS);
    // A pulse starts only on the side of the target it corrects: a full accumulator alone (integral memory)
    // must not heat a chamber that already reached its target by itself.

    if (y === -1) {
      const stop = (p >= 0 && timer.mayStop('cool', now)) || timer.mustStop('cool', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(false, true, 'cooling');
    }
    if (y === 1) {
      const stop = (p <= 0 && timer.mayStop('heat', now)) || timer.mustStop('heat', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(true, false, 'heating');
    }
    if (p <= -t.coolPulseS && u < 0 && e < 0 && wantCool) {
      return timer.mayStart('cool', now)
        ? this.#finish(false, true, 'cooling')
        : this.#finish(false, false, 'waiting-to-cool');
    }
    if (p >= t.heatPulseS && u > 0 && e > 0 && wantHeat) {
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
  return Math.min(Math.max(v, lo), hi);
}
