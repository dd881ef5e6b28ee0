// cobrew's fermentation controller: a beer loop that sets the chamber target and a chamber loop that
// switches heat and cool within the compressor's timing limits. A heater on the vessel is driven from the
// beer instead (wrap-loop.ts). Design notes: firmware-bridge/README.md.

import { DEFAULT_CHAMBER_PROBE_MIN_C, DEFAULT_OVER_TEMP_C } from '../config-schema.js';
import type {
  ControlInput,
  Controller,
  ControlOutput,
  Outputs,
  ProfileAhead,
  TimingLimits,
} from '../types.js';
import { OutputTimer } from './output-timer.js';
import { SlopeMeter } from './slope-meter.js';
import { clamp, WrapLoop } from './wrap-loop.js';

/** chamber: the heater warms the fridge air; vessel: a wrap or belt warms the fermenter itself. */
export type HeaterMount = 'chamber' | 'vessel';

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
  /** Vessel heater: duty asked per °C of beer error. */
  wrapKp: number;
  /** Vessel heater: integral time of its loop, seconds. */
  wrapTiS: number;
  /** Vessel heater: accumulated duty that makes one pulse (its minimum on-time still applies). */
  wrapPulseS: number;
  /** Vessel heater in a room warmer than the beer: the beer dip (°C) below target that calls the wrap. */
  wrapDipC: number;
}

/**
 * The air the guard allows: from the chamber probe's lowest plausible reading (`safety.chamber.minC`) to the
 * lower of its highest and the over-temperature cut-off (`safety.overTempC`).
 */
export interface GuardAir {
  minC: number;
  maxC: number;
}

/**
 * Every air target is kept this far (°C) inside what the guard allows, or the guard would trip the
 * fermenter: a fast crash on a strong compressor (400 W on 20 L) took the air past −15 °C, and the guard
 * latched COBREW_ERR_SENSOR_RANGE with the beer 2.3 °C past its target and every output off.
 */
export const GUARD_MARGIN_C = 2;

/** The air the guard allows by default (its schema's defaults). */
const DEFAULT_GUARD_AIR_C: GuardAir = { minC: DEFAULT_CHAMBER_PROBE_MIN_C, maxC: DEFAULT_OVER_TEMP_C };

export interface CascadeOptions extends Partial<CascadeTuning> {
  /** Where the heater sits (`board.heaterMount`); chamber when absent. */
  heaterMount?: HeaterMount;
  /** What the guard allows of the air; its schema's defaults when absent. */
  guardAirC?: GuardAir;
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
  wrapKp: 0.8,
  wrapTiS: 2 * 3600,
  wrapPulseS: 60,
  wrapDipC: 0.08,
});

/** Beyond this chamber error the chamber cannot follow, so the beer integral stops growing (anti-windup). */
const CHAMBER_LAG_LIMIT_C = 2;
const INTEGRAL_LIMIT_C = 12;
/** Demand that will make a pulse within this many seconds is shown as waiting; slower demand is idle. */
const WAIT_HORIZON_S = 1800;
/** A fridge whose air answers the compressor this slowly (dead time plus lag, s) gets slow-fridge pulses. */
export const SLOW_TRANSPORT_S = 600;
/**
 * The longest slow-fridge pulse, s. BrewPi's peak estimate counts at most 1200 s of a cooling run; sized
 * from a slower coil's hour of lag, the pulses chilled a 15 L beer too deep (docs/control.md).
 */
export const SLOW_PULSE_MAX_S = 1200;

export class CascadeController implements Controller {
  readonly name = 'cobrew';
  readonly #t: CascadeTuning;
  readonly #timer: OutputTimer;
  readonly #enabled: Readonly<Outputs>;
  readonly #vessel: boolean;
  readonly #wrap: WrapLoop;
  /** Vessel heater only: who holds the beer now, the wrap (heat) or the chamber cascade (cool). */
  #side: 'heat' | 'cool';
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
  /** The compressor's dead time plus lag, s, when slow-fridge pulses are on (0: off, or not known yet). */
  #transportS = 0;
  /** When the compressor run whose pulse was last lengthened started. */
  #lengthenedRun = Number.NaN;
  /** The heater pulse in use: the tuning's, or the smaller one a planner asks for (heatPulse()). */
  #heatPulseS: number;
  /** The chamber loop's gain in use: the tuning's, or the one a planner asks for (chamberGain()). */
  #chamberKp: number;
  /** The profile looked ahead for the ramp feed-forward (lookAhead()); none: the target as it stands. */
  #ahead: ProfileAhead | null = null;
  /** The air targets allowed: GUARD_MARGIN_C inside what the guard allows. */
  readonly #air: GuardAir;

  constructor(limits: TimingLimits, options: CascadeOptions = {}) {
    const { heaterMount = 'chamber', guardAirC = DEFAULT_GUARD_AIR_C, ...tuning } = options;
    this.#air = { minC: guardAirC.minC + GUARD_MARGIN_C, maxC: guardAirC.maxC - GUARD_MARGIN_C };
    const t = { ...DEFAULT_TUNING, ...tuning };
    // A floor or ceiling set closer to the guard's limits than the margin is brought inside it.
    this.#t = {
      ...t,
      chamberMinC: Math.max(t.chamberMinC, this.#air.minC),
      chamberMaxC: Math.min(t.chamberMaxC, this.#air.maxC),
    };
    this.#heatPulseS = this.#t.heatPulseS;
    this.#chamberKp = this.#t.chamberKp;
    this.#timer = new OutputTimer(limits);
    this.#enabled = Object.freeze({ heat: limits.enabled?.heat ?? true, cool: limits.enabled?.cool ?? true });
    this.#vessel = heaterMount === 'vessel';
    this.#wrap = new WrapLoop(this.#t);
    this.#side = this.#enabled.heat && !this.#enabled.cool ? 'heat' : 'cool';
  }

  /** The beer loop's floor and ceiling for the air, and the coldest air any target may ask for. */
  get airLimits(): { floorC: number; ceilingC: number; coldestC: number } {
    return { floorC: this.#t.chamberMinC, ceilingC: this.#t.chamberMaxC, coldestC: this.#air.minC };
  }

  /**
   * Forget the loops' memory (integrals and pulse build-up) and start afresh on the next step, as after a
   * start-up: used when another planner has driven the outputs and hands the beer back.
   */
  restart(): void {
    this.#integral = 0;
    this.#dutyI = 0;
    this.#pulse = 0;
    this.#wrap.reset();
  }

  /**
   * Slow-fridge pulses: how long the chamber air takes to answer the compressor (dead time plus lag, s, as
   * the fermenter's model learnt it; 0 turns them off). From SLOW_TRANSPORT_S on, a compressor run starts
   * when a quick fridge's would but lasts a pulse of that length (at most SLOW_PULSE_MAX_S), taking the
   * rest of its demand from the demand to come; and until its cold has reached the air (the run, then that
   * long after it) the chamber loop's integral does not grow on an air that has not felt it yet. Without
   * this, the air still asks for cold when a 300 s pulse ends, and the next start follows at the first
   * chance: many short runs where BrewPi makes one long one.
   */
  setTransport(s: number): void {
    this.#transportS = Number.isFinite(s) && s > 0 ? s : 0;
  }

  /**
   * Sizes the chamber heater's pulses from now on: `s` seconds of full-power demand, or the tuning's
   * heatPulseS when absent. A planner that knows the beer's need asks for smaller ones while holding.
   */
  heatPulse(s?: number): void {
    this.#heatPulseS = s ?? this.#t.heatPulseS;
  }

  /** The chamber loop's gain (duty per °C of air error) from now on: the tuning's chamberKp when absent. */
  chamberGain(kp?: number): void {
    this.#chamberKp = kp ?? this.#t.chamberKp;
  }

  /**
   * The ramp feed-forward from now on: the target where the profile's ramps take it `ahead` (ProfileAhead),
   * led by the beer's time constant at the slope there; absent, the target and slope as they stand. A planner
   * that knows how late the air answers asks for that much look-ahead: the beer then starts down a ramp when
   * it does rather than that much later, and stops pushing on before the ramp ends. The beer error stays on
   * the target as it stands.
   */
  lookAhead(ahead?: ProfileAhead): void {
    this.#ahead = ahead ?? null;
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
      this.#wrap.clearPulse();
      return this.#finish(false, false, target.mode === 'off' ? 'off' : 'no-chamber-reading');
    }

    const chamber = readings.chamber;
    if (target.mode === 'chamber') {
      this.#chamberTarget = clamp(target.chamberC, this.#air.minC, this.#air.maxC);
      return this.#chamberLoop(chamber, this.#chamberTarget, dt, now, this.#enabled);
    }
    const haveBeer = readings.beer !== null && !Number.isNaN(this.#beerF);
    if (this.#vessel && haveBeer) {
      return this.#vesselStep(target.beerC, target.slopeCPerS, chamber, readings.ambient, dt, now);
    }
    this.#chamberTarget = this.#beerLoop(target.beerC, target.slopeCPerS, chamber, dt, haveBeer);
    // A wrap cannot steer the air: without a beer reading it stays off and only cooling holds the chamber.
    const allow = this.#vessel ? { heat: false, cool: this.#enabled.cool } : this.#enabled;
    return this.#chamberLoop(chamber, this.#chamberTarget, dt, now, allow);
  }

  /**
   * The beer error the loops act on (target − beer; positive: too cold). While the beer is already moving
   * towards its target, only the error its own motion will not close within beerLeadS counts, so a crash is
   * released before it overshoots. The lead may shrink the error to zero but never flip it: then it cannot
   * drive the other output and start a limit cycle.
   */
  #beerError(beerC: number): number {
    const t = this.#t;
    const raw = beerC - this.#beerF;
    const speed = Math.max(0, Math.abs(this.#beerRate) - t.leadDeadbandCPerH / 3600);
    const closing = Math.sign(this.#beerRate) === Math.sign(raw);
    return closing ? Math.sign(raw) * Math.max(0, Math.abs(raw) - speed * t.beerLeadS) : raw;
  }

  /** PI on the beer error plus the ramp feed-forward; the result is the chamber target. */
  #beerLoop(beerC: number, slope: number, chamber: number, dt: number, haveBeer: boolean): number {
    const t = this.#t;
    if (!haveBeer) return clamp(beerC, t.chamberMinC, t.chamberMaxC);
    const error = this.#beerError(beerC);
    const a = this.#ahead;
    const feedForward = a === null ? beerC + t.beerTauS * slope : beerC + a.moveC + t.beerTauS * a.slopeCPerS;
    const unclamped = feedForward + t.beerKp * error + this.#integral;
    const out = clamp(unclamped, t.chamberMinC, t.chamberMaxC);
    // Conditional integration: no growth while the output is saturated that way, while the chamber lags
    // its target so far that more demand would only wind up, or while the target lies beyond the chamber
    // on the side of a disabled output (nothing can take the chamber there).
    const saturated = (out !== unclamped && Math.sign(error) === Math.sign(unclamped - out)) || false;
    const lagging = Math.abs(chamber - this.#chamberTarget) > CHAMBER_LAG_LIMIT_C;
    const unreachable =
      (!this.#enabled.cool && error < 0 && out < chamber) ||
      (!this.#enabled.heat && error > 0 && out > chamber);
    if (!saturated && !lagging && !unreachable) {
      this.#integral = clamp(
        this.#integral + (t.beerKp * error * dt) / t.beerTiS,
        -INTEGRAL_LIMIT_C,
        INTEGRAL_LIMIT_C,
      );
    }
    return out;
  }

  /**
   * A heater on the vessel warms the beer, not the air, so the chamber loop cannot steer it: heating it
   * through a chamber target made the chamber loop heat on while the beer overshot, and the compressor
   * answer. One side holds the beer at a time. On the heat side the wrap's own loop acts on the beer error
   * and the chamber is left to itself; on the cool side the cascade runs as for a chamber heater, cooling
   * only. The sides hand over only once the side in charge has nothing left to do (its integral drained,
   * or the room will finish the job) and the beer has gone past its target the other way, so the two never
   * take turns on ripple.
   */
  #vesselStep(
    beerC: number,
    slope: number,
    chamber: number,
    room: number | null,
    dt: number,
    now: number,
  ): ControlOutput {
    const timer = this.#timer;
    const error = this.#beerError(beerC);
    // A room warmer than the beer target warms the beer by itself, a colder one cools it.
    const roomWarms = room !== null && room > beerC;
    if (this.#side === 'heat') {
      // The wrap hands over once it has nothing left to do, or at once when the room will keep warming
      // a beer that is already above its target.
      const drained = (this.#wrap.integral === 0 || roomWarms) && error < 0 && !timer.isOn('heat');
      if (!drained || !this.#enabled.cool) return this.#heatSide(beerC, dt, now, drained);
      // The cascade starts without memory: its integral belonged to another target or another season.
      this.#side = 'cool';
      this.#integral = 0;
      this.#dutyI = 0;
      this.#pulse = 0;
    }
    const chamberTarget = this.#beerLoop(beerC, slope, chamber, dt, true);
    this.#chamberTarget = chamberTarget;
    // The wrap takes over once the compressor has nothing left to do and the beer is below its target.
    // In a warmer room only from a dip deeper than wrapDipC: the room brings a shallow one (a compressor
    // pulse's) back by itself once the chamber is no longer cooled, and taking it would only hand the beer
    // back and forth.
    const heatWanted =
      this.#dutyI === 0 &&
      !timer.isOn('cool') &&
      chamber <= chamberTarget &&
      error > (roomWarms ? this.#t.wrapDipC : 0);
    if (heatWanted && this.#enabled.heat) {
      this.#side = 'heat';
      this.#wrap.reset();
      return this.#heatSide(beerC, 0, now, false);
    }
    const out = this.#chamberLoop(chamber, chamberTarget, dt, now, { heat: false, cool: this.#enabled.cool });
    return heatWanted ? { ...out, state: 'cannot-heat' } : out;
  }

  /** The wrap holds the beer; the chamber is not steered, so there is no chamber target. */
  #heatSide(beerC: number, dt: number, now: number, coolWanted: boolean): ControlOutput {
    this.#chamberTarget = Number.NaN;
    if (coolWanted) return this.#finish(false, false, 'cannot-cool');
    const d = this.#wrap.step(beerC - this.#beerF, dt, this.#timer, now);
    if (d === 'heat') return this.#finish(true, false, 'heating');
    if (d === 'wait') return this.#waiting('heat', now, 0);
    return this.#finish(false, false, 'idle');
  }

  /**
   * The chamber loop asks for a duty, not for on/off: a PI turns the chamber error into a duty between
   * full cooling (-1) and full heating (+1), and a modulator turns that duty into pulses whose lengths
   * respect the compressor's timing. The beer feels the chamber's average, so an average held on target
   * with short, even pulses beats a thermostat band around it. `allow` names the outputs it may use.
   */
  #chamberLoop(chamber: number, target: number, dt: number, now: number, allow: Outputs): ControlOutput {
    const t = this.#t;
    const timer = this.#timer;
    const e = target - chamber;
    const y = timer.isOn('heat') ? 1 : timer.isOn('cool') ? -1 : 0;
    const slow = this.#transportS >= SLOW_TRANSPORT_S;
    const runPulseS = slow
      ? Math.min(SLOW_PULSE_MAX_S, Math.max(t.coolPulseS, this.#transportS))
      : t.coolPulseS;
    // A run that has started on a slow fridge owes the rest of its pulse: it runs on until that is delivered.
    if (slow && y === -1 && this.#lengthenedRun !== timer.onSince.cool) {
      this.#lengthenedRun = timer.onSince.cool;
      this.#pulse -= runPulseS - t.coolPulseS;
    }
    // The air has not felt the run yet: its error says nothing of what the run will do.
    const arriving = slow && (y === -1 || (now - timer.offSince.cool) / 1000 < this.#transportS);
    if (!arriving) {
      this.#dutyI = clamp(
        this.#dutyI + (this.#chamberKp * e * dt) / t.chamberTiS,
        allow.cool ? -1 : 0,
        allow.heat ? 1 : 0,
      );
    }
    const u = clamp(this.#chamberKp * e + this.#dutyI, -1, 1);
    this.#pulse = clamp(this.#pulse + (u - y) * dt, -2 * runPulseS, 2 * this.#heatPulseS);
    // Demand for an output this loop may not use is not carried over once the other one is wanted:
    // it would only delay that one.
    if (!allow.cool && u >= 0) this.#pulse = Math.max(this.#pulse, 0);
    if (!allow.heat && u <= 0) this.#pulse = Math.min(this.#pulse, 0);
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
      const stop = ((p >= 0 || !allow.cool) && timer.mayStop('cool', now)) || timer.mustStop('cool', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(false, true, 'cooling');
    }
    if (y === 1) {
      const stop = ((p <= 0 || !allow.heat) && timer.mayStop('heat', now)) || timer.mustStop('heat', now);
      return stop ? this.#finish(false, false, 'idle') : this.#finish(true, false, 'heating');
    }
    if (p <= -t.coolPulseS && u < 0 && e < 0 && wantCool) {
      if (!allow.cool) return this.#finish(false, false, this.#enabled.cool ? 'idle' : 'cannot-cool');
      return timer.mayStart('cool', now)
        ? this.#finish(false, true, 'cooling')
        : this.#waiting('cool', now, 0);
    }
    if (p >= this.#heatPulseS && u > 0 && e > 0 && wantHeat) {
      if (!allow.heat) return this.#finish(false, false, this.#enabled.heat ? 'idle' : 'cannot-heat');
      return timer.mayStart('heat', now)
        ? this.#finish(true, false, 'heating')
        : this.#waiting('heat', now, 0);
    }
    // Demand that is building up to a pulse soon is waiting too, and says how long the build-up will take at
    // the duty asked now (a fresh start on a warm beer waits for the compressor's rest and one pulse). The
    // trickle of a settled hold, hours from a pulse, is idle.
    const coolBuildS = (p + t.coolPulseS) / -u;
    const heatBuildS = (this.#heatPulseS - p) / u;
    if (u < 0 && e < 0 && wantCool && allow.cool && coolBuildS <= WAIT_HORIZON_S)
      return this.#waiting('cool', now, coolBuildS);
    if (u > 0 && e > 0 && wantHeat && allow.heat && heatBuildS <= WAIT_HORIZON_S)
      return this.#waiting('heat', now, heatBuildS);
    return this.#finish(false, false, 'idle');
  }

  /** Not switching `o` on yet: for the rest its timing asks, or for `buildS` more of demand, whichever is longer. */
  #waiting(o: 'heat' | 'cool', now: number, buildS: number): ControlOutput {
    const restS = this.#timer.startInS(o, now);
    const out = this.#finish(false, false, o === 'cool' ? 'waiting-to-cool' : 'waiting-to-heat');
    return restS === null ? out : { ...out, waitS: Math.ceil(Math.max(restS, buildS)) };
  }

  #finish(heat: boolean, cool: boolean, state: string): ControlOutput {
    const request: Outputs = { heat, cool };
    return { request, chamberTargetC: Number.isNaN(this.#chamberTarget) ? null : this.#chamberTarget, state };
  }
}
