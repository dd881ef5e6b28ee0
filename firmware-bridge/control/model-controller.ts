// cobrew's controller: the cascade (cascade.ts) holds the beer, and a planner on the fermenter's own
// learnt model (thermal-model.ts) takes over the arrivals. Far from a new target the output that moves the
// beer there runs flat out, and it stops when the model says the cold (or heat) already stored in the
// air, liner and coil will carry the beer the rest of the way: the beer coasts onto its target. Then the
// cascade takes the beer back. While holding, the model only vetoes the cascade's heater pulses the beer
// does not need. Until the model has converged for that output, the cascade does it all.
// Both plan within the guard's timing (OutputTimer); the guard still switches the outputs.
import type {
  ControlInput,
  Controller,
  ControlOutput,
  OutputName,
  ProfileAhead,
  ThermalModelSummary,
  TimingLimits,
} from '../types.js';
import { CascadeController, type CascadeOptions, DEFAULT_TUNING, SLOW_TRANSPORT_S } from './cascade.js';
import { OutputTimer } from './output-timer.js';
import { type Brake, ThermalModel } from './thermal-model.js';

export interface PlannerTuning {
  /** A beer this far (°C) from its target is brought there flat out rather than by the cascade. */
  arriveFromC: number;
  /** Where the predicted coast should end: this far (°C) short of the target. */
  coastAimC: number;
  /**
   * How much later than running flat out a coast may bring the beer into the band, as a share of the
   * flat-out arrival time: 0.05 keeps arrivals within 1.05× the physical limit; more lets the beer coast
   * from further out and overshoot less.
   */
  arrivalSlack: number;
  /** The cascade takes the beer back once the model gives the coast less than this (°C) to go. */
  handBackC: number;
  /** The beer reading's filter for planning, seconds: takes the probe's noise out of the stop decision. */
  beerFilterS: number;
  /**
   * While holding, a heater pulse is left out when the beer is within this (°C) of its target, rising, and
   * the model says it gets there with everything off (and always while the beer is above its target).
   */
  heatSkipC: number;
  /**
   * Crashes as fast as the compressor goes: it runs flat out with no chamber floor, and the chamber heater
   * brakes the coast (the air brought back to the beer's target once the interlock allows) so the stop can
   * come later. Off by default: it arrives at ~1.02–1.05× the physical limit with overshoot ≤ 0.1 °C on the
   * reference crashes, but costs energy (docs/control.md).
   */
  fastArrival: boolean;
  /**
   * On a fridge whose air answers the compressor slowly (the learnt dead time plus lag ≥ 600 s), compressor
   * runs last that long (at most 1200 s) and the chamber loop waits for each run's cold (cascade.ts,
   * setTransport). Off by default: on the Kölsch fridge it cuts compressor starts 2.6 → 1.1× BrewPi's, with
   * a steadier beer, but costs energy and overshoot (docs/control.md).
   */
  slowFridgePulses: boolean;
  /**
   * While holding, a chamber heater that warms the air by more than HOLD_HEAT_RISE_C in one of the cascade's
   * pulses (as the converged model learnt it) is given pulses of HOLD_HEAT_PULSE_S instead: a smaller pulse
   * overshoots the air less, so less of its heat is pumped out again by the next compressor run. On by
   * default: it saves 3–33 % of energy on quick fridges for arrivals ≤ 1.3 % later (docs/control.md).
   */
  shortHeatPulses: boolean;
  /**
   * A heating coast in a room warmer than the target by WARM_ROOM_C is handed back to the cascade once the
   * beer reaches its target, rather than PAST_TARGET_C past it: the room carries the beer on, and only the
   * compressor can bring it back. On by default (docs/control.md).
   */
  warmRoomHandBack: boolean;
  /**
   * On a fridge whose air answers the compressor slowly (the learnt dead time plus lag ≥ 600 s), the
   * cascade's ramp feed-forward looks that far ahead along the profile (at most PREVIEW_MAX_S): it cools
   * into a falling ramp, and stops warming into a rising one, when the air will answer in time. On by
   * default (docs/control.md).
   */
  rampPreview: boolean;
  /**
   * On a slow fridge (as for rampPreview) with a chamber heater, the chamber loop's gain is SLOW_CHAMBER_KP
   * while the beer is within arriveFromC of its target: the air is held closer to what the beer loop asks,
   * so the beer wanders less between the compressor's late-felt runs. On by default (docs/control.md).
   */
  slowFridgeGain: boolean;
}

export const DEFAULT_PLANNER: Readonly<PlannerTuning> = Object.freeze({
  arriveFromC: 1,
  coastAimC: 0,
  arrivalSlack: 0.05,
  handBackC: 0.1,
  beerFilterS: 120,
  heatSkipC: 0.05,
  fastArrival: false,
  slowFridgePulses: false,
  shortHeatPulses: true,
  warmRoomHandBack: true,
  rampPreview: true,
  slowFridgeGain: true,
});

export interface ModelControllerOptions extends CascadeOptions, Partial<PlannerTuning> {
  /** The learnt model; pass the same one to a replacement controller so it is not learnt again. */
  model?: ThermalModel;
}

type Phase = 'cascade' | 'arrive' | 'coast';

/** A profile that does not move the target over the look-ahead. */
const isStill = (a: ProfileAhead) => a.moveC === 0 && a.slopeCPerS === 0;

/** The coast is replayed on the model this often during an arrival, seconds. */
const PREDICT_EVERY_S = 30;
/** Within this (°C) of its target the beer has arrived, as the benchmark counts it. */
const BAND_C = 0.5;
/** A coast that has carried the beer this far (°C) past its target is over: the cascade brakes it. */
const PAST_TARGET_C = 0.3;
/**
 * A room this much (°C) warmer than the beer's target carries a heating coast on (warmRoomHandBack). In a
 * room nearer the target the beer, handed back at its target, dips under it after the compressor's first
 * pulses and calls the heater back: measured, 4.6 °C above the target gains ripple and overshoot, 2.8 °C
 * costs energy.
 */
const WARM_ROOM_C = 3.5;
/** A braked coast holds the air for this many of the liner's time constants. */
const LINER_SPANS = 1;
/**
 * The brake holds the air this far (°C) beyond the beer's target, on the side the beer came to: the beer
 * still creeps on a little, which the planned stop allows for, and the heater does less work than holding
 * the air on the target (measured: 1 °C costs the same overshoot and less energy; 2 °C overshoots).
 */
const BRAKE_AIR_C = 1;
/** A coast has ended once the beer is this far (°C) back from its extreme, or after COAST_WATCH_S. */
const COAST_TURN_C = 0.05;
const COAST_WATCH_S = 8 * 3600;
/** The beer counts as rising when it is above where it was RISE_SPAN_S to twice that ago. */
const RISE_SPAN_S = 600;
/**
 * Short heater pulses while holding (shortHeatPulses): their size, in seconds of full-power demand (the
 * heater's minimum on-time still applies), and the air rise per cascade pulse above which they are used.
 * A weak heater on a slow fridge (the Kölsch fridge's warms its air ≈7 °C/h, the quick default fridge's
 * ≈20 °C/h) keeps the cascade's pulses: smaller ones raised its overshoot and energy (docs/control.md).
 */
const HOLD_HEAT_PULSE_S = 45;
const HOLD_HEAT_RISE_C = 0.25;
/**
 * The longest look-ahead along a profile's ramps (rampPreview), s. The model's dead time plus lag can come
 * out at an hour on the Kölsch fridge (~30 min): looking that far ahead, the feed-forward turned round before
 * the log's one-hour setpoint dip did (measured, with the chamber loop's gain at 0.6: overshoot 0.26 °C
 * against 0.20 °C at 30 min).
 */
const PREVIEW_MAX_S = 1800;
/**
 * The chamber loop's gain on a slow fridge (slowFridgeGain), duty per °C of air error: twice the cascade's.
 * Measured on the Kölsch log: settled ripple 0.79 → 0.54× BrewPi-style's and less energy; alone it met the
 * log's one-hour setpoint dip with the beer on its target and ended it further above (docs/control.md).
 */
const SLOW_CHAMBER_KP = 0.6;
/** At the floor, a fast crash's compressor rests until the air has warmed this much (°C). */
const FLOOR_REST_C = 3;

export class ModelController implements Controller {
  readonly name = 'cobrew';
  readonly model: ThermalModel;
  readonly #cascade: CascadeController;
  readonly #timer: OutputTimer;
  readonly #p: PlannerTuning;
  readonly #floorC: number;
  /** The coldest air a fast crash runs to: GUARD_MARGIN_C inside what the guard allows. */
  readonly #fastFloorC: number;
  readonly #cascadeHeatPulseS: number;
  readonly #ceilingC: number;
  readonly #vessel: boolean;
  readonly #enabled: { heat: boolean; cool: boolean };
  #phase: Phase = 'cascade';
  /** The way the beer is being moved during an arrival: −1 down (cool), +1 up (heat). */
  #dir: -1 | 1 = -1;
  #beerF = Number.NaN;
  #lastNow = Number.NaN;
  #predicted = Number.NaN;
  #predictedAt = Number.NaN;
  #lastTargetC = Number.NaN;
  /** When the beer target last jumped (by more than the band): an arrival is timed from there. */
  #jumpAt = Number.NaN;
  /** The coast being watched: the beer at the stop, its extreme since, and the model's raw prediction. */
  #coastFrom = Number.NaN;
  #coastStartAt = Number.NaN;
  #coastExtreme = Number.NaN;
  #coastPredictedC = Number.NaN;
  /** Whether the coast under way is braked by the other output. */
  #braking = false;
  /** A fast crash has brought the air to its floor: the compressor rests until the air has warmed. */
  #atFastFloor = false;
  /** The filtered beer one and two RISE_SPAN_S ago, sampled then: whether the beer is rising. */
  #beerBack = { at: Number.NaN, one: Number.NaN, two: Number.NaN };

  constructor(limits: TimingLimits, options: ModelControllerOptions = {}) {
    const { model, ...rest } = options;
    // The planner's settings are DEFAULT_PLANNER's keys; everything else is the cascade's.
    const given: Partial<PlannerTuning> = {};
    const cascade: CascadeOptions = {};
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      Object.assign(key in DEFAULT_PLANNER ? given : cascade, { [key]: value });
    }
    this.#p = { ...DEFAULT_PLANNER, ...given };
    this.#vessel = cascade.heaterMount === 'vessel';
    this.model = model ?? new ThermalModel({ vesselHeater: this.#vessel });
    this.#cascade = new CascadeController(limits, cascade);
    this.#timer = new OutputTimer(limits);
    const air = this.#cascade.airLimits;
    this.#floorC = air.floorC;
    this.#ceilingC = air.ceilingC;
    this.#fastFloorC = air.coldestC;
    this.#cascadeHeatPulseS = cascade.heatPulseS ?? DEFAULT_TUNING.heatPulseS;
    this.#enabled = { heat: limits.enabled?.heat ?? true, cool: limits.enabled?.cool ?? true };
  }

  /** What the model has learnt, for the fermenter's state. */
  thermalModel(): ThermalModelSummary {
    return this.model.summary();
  }

  /** Which part is in charge: the cascade, or the planner bringing the beer to a new target. */
  get phase(): Phase {
    return this.#phase;
  }

  step(input: ControlInput): ControlOutput {
    const { now, readings, target, applied } = input;
    const dt = Number.isNaN(this.#lastNow) ? 0 : (now - this.#lastNow) / 1000;
    this.#lastNow = now;
    this.model.observe(now, readings, applied);
    this.#timer.observe(applied, now);
    if (this.#p.slowFridgePulses) this.#cascade.setTransport(this.model.transportS());
    this.#cascade.heatPulse();
    this.#cascade.lookAhead();
    if (readings.beer !== null) {
      this.#beerF = Number.isNaN(this.#beerF)
        ? readings.beer
        : this.#beerF + (readings.beer - this.#beerF) * Math.min(1, dt / this.#p.beerFilterS);
    }
    if (target.mode !== 'beer' || readings.beer === null || readings.chamber === null) {
      this.#handBack();
      return this.#cascade.step(input);
    }
    this.#watchCoast();
    if (!Number.isNaN(this.#lastTargetC) && Math.abs(target.beerC - this.#lastTargetC) > BAND_C)
      this.#jumpAt = now;
    this.#lastTargetC = target.beerC;
    this.#sampleBeer(now);
    const error = target.beerC - this.#beerF;
    this.#cascade.chamberGain(this.#slowGain(error) ? SLOW_CHAMBER_KP : undefined);
    if (this.#phase === 'cascade') {
      const dir = error < 0 ? -1 : 1;
      const o: OutputName = dir < 0 ? 'cool' : 'heat';
      if (Math.abs(error) <= this.#p.arriveFromC || !this.#enabled[o] || !this.model.converged(o)) {
        const ahead = this.#ahead(target.ahead);
        const holding = target.slopeCPerS === 0 && (ahead === undefined || isStill(ahead));
        this.#cascade.lookAhead(ahead);
        if (holding && this.#heatOvershootsAir()) this.#cascade.heatPulse(HOLD_HEAT_PULSE_S);
        const base = this.#cascade.step(input);
        return holding ? this.#hold(base, target.beerC) : base;
      }
      this.#phase = 'arrive';
      this.#dir = dir;
      this.#predictedAt = Number.NaN;
      this.#atFastFloor = false;
    }
    const dir = this.#dir;
    const o: OutputName = dir < 0 ? 'cool' : 'heat';
    const predicted = this.#coast(now, target.beerC);
    if (this.#phase === 'arrive' && this.#stopNow(target.beerC, error, predicted, now)) {
      this.#phase = 'coast';
      this.#coastFrom = this.#beerF;
      this.#coastStartAt = now;
      this.#coastExtreme = this.#beerF;
      const brake = this.#brake(target.beerC, now);
      this.#coastPredictedC = Math.abs(this.model.coastExtreme(dir, this.#beerF, true, brake) - this.#beerF);
      this.#braking = brake !== undefined;
      // The brake holds the air with the chamber loop, which starts without the arrival's memory.
      if (this.#braking) this.#cascade.restart();
    }
    if (this.#phase === 'coast') {
      // Braked, the chamber loop brings the air back to the beer's target with the other output as soon as
      // the guard's timing allows: the cold (or heat) stored in the liner and coil goes no further.
      const base = this.#braking
        ? this.#cascade.step({
            ...input,
            target: { mode: 'chamber', chamberC: target.beerC + dir * BRAKE_AIR_C },
          })
        : this.#cascade.step(input);
      // The beer keeps coasting past the target, if it does, with everything off: heating the coast back
      // would cost energy and starts. The cascade takes over once the coast is all but done.
      if (
        this.#braking
          ? this.#brakeDone(now)
          : this.#coastDone(predicted, error, target.beerC, readings.ambient)
      ) {
        this.#handBack();
        return this.#braking ? this.#cascade.step(input) : base;
      }
      if (this.#braking && !(this.#timer.isOn(o) && !this.#timer.mayStop(o, now)))
        return { ...base, request: { ...base.request, [o]: false } };
      return this.#off(o, now, 'coasting', base.chamberTargetC);
    }
    if (o === 'cool' && this.#p.fastArrival) {
      // A fast crash runs the compressor as the physical limit does, but rests it while the air is at the
      // floor (until it has warmed FLOOR_REST_C): the chamber loop's pulses overshoot a strong compressor's
      // air by 2 °C and more, into the guard's range.
      this.#cascade.step(input);
      if (readings.chamber <= this.#fastFloorC) this.#atFastFloor = true;
      else if (readings.chamber >= this.#fastFloorC + FLOOR_REST_C) this.#atFastFloor = false;
      return this.#atFastFloor ? this.#off(o, now, 'air-at-floor', this.#fastFloorC) : this.#flatOut(o, now);
    }
    if (o === 'heat' && this.#vessel) {
      // A wrap warms the beer itself: the air has no part in it, so the heater simply runs.
      this.#cascade.step(input);
      return this.#flatOut(o, now);
    }
    // Flat out through the chamber loop, which holds the air at the chamber's limit once it gets there.
    const chamberC = o === 'cool' ? this.#floorC : this.#ceilingC;
    return this.#cascade.step({ ...input, target: { mode: 'chamber', chamberC } });
  }

  /**
   * Holding a fixed target, the cascade decides the pulses, but a heater pulse the beer does not need is
   * left out: the cascade heats the air once it is below the air target it asks, and after a compressor
   * run that is often while the beer is still above its own target, or already on its way back up on the
   * room's or the fermentation's heat. That pulse only costs energy and soon calls the compressor back.
   * Until the model has converged, the cascade's pulse stands.
   */
  #hold(base: ControlOutput, targetC: number): ControlOutput {
    if (!base.request.heat || this.#timer.isOn('heat')) return base;
    const skip: ControlOutput = {
      request: { heat: false, cool: false },
      chamberTargetC: base.chamberTargetC,
      state: 'idle',
    };
    if (this.model.converged('cool') && this.#beerF > targetC) return skip;
    if (!this.model.converged('heat')) return base;
    const rising = this.#beerF > this.#beerBack.two;
    if (!rising || Math.abs(targetC - this.#beerF) >= this.#p.heatSkipC) return base;
    return this.model.coastExtreme(1, this.#beerF, true) >= targetC ? skip : base;
  }

  /**
   * The profile looked ahead by the air's learnt dead time plus lag (rampPreview), on a fridge slow enough
   * for it to matter: a quick fridge's two minutes move a ramp's feed-forward by hundredths of a degree.
   */
  #ahead(ahead: ((leadS: number) => ProfileAhead) | undefined): ProfileAhead | undefined {
    if (!this.#p.rampPreview || ahead === undefined || !this.#slowFridge()) return undefined;
    return ahead(Math.min(PREVIEW_MAX_S, this.model.transportS()));
  }

  /** Whether the chamber loop takes the slow fridge's gain: a chamber heater, the beer near its target. */
  #slowGain(error: number): boolean {
    if (!this.#p.slowFridgeGain || this.#vessel || !this.#enabled.heat) return false;
    return this.#slowFridge() && Math.abs(error) <= this.#p.arriveFromC;
  }

  /** The learnt dead time plus lag makes this a slow fridge (rampPreview, slowFridgeGain). */
  #slowFridge(): boolean {
    return this.model.transportS() >= SLOW_TRANSPORT_S;
  }

  /** Whether short heater pulses are asked for and the model says a cascade pulse overshoots the air. */
  #heatOvershootsAir(): boolean {
    if (!this.#p.shortHeatPulses || this.#vessel || !this.model.converged('heat')) return false;
    const perS = (this.model.summary().heatingCPerH ?? 0) / 3600;
    return perS * this.#cascadeHeatPulseS > HOLD_HEAT_RISE_C;
  }

  #sampleBeer(now: number): void {
    const b = this.#beerBack;
    if (!Number.isNaN(b.at) && now - b.at < RISE_SPAN_S * 1000) return;
    this.#beerBack = { at: now, one: this.#beerF, two: b.one };
  }

  /**
   * Whether to stop driving the beer now and let it coast. Once in the band, at once: it has arrived and
   * more would only overshoot. Before, when the predicted coast ends on the target (coastAimC short of
   * it), unless coasting would reach the band so much later than running on that the arrival would miss
   * arrivalSlack (its time against the flat-out arrival from the target's change): then the output runs
   * on, and the beer is let past the target rather than kept waiting for a slow coast.
   */
  #stopNow(targetC: number, error: number, predicted: number, now: number): boolean {
    const dir = this.#dir;
    if (dir * error <= BAND_C) return true;
    if (dir * (targetC - predicted) > this.#p.coastAimC) return false;
    const coastS = this.model.coastBandS(dir, this.#beerF, targetC, BAND_C, this.#brake(targetC, now));
    const floorC = this.#p.fastArrival ? Number.NEGATIVE_INFINITY : this.#floorC;
    const limitC = dir < 0 ? floorC : this.#ceilingC;
    const onS = this.model.flatOutBandS(dir, this.#beerF, targetC, BAND_C, limitC);
    const elapsedS = Number.isNaN(this.#jumpAt) ? 0 : (now - this.#jumpAt) / 1000;
    return coastS <= onS + this.#p.arrivalSlack * (elapsedS + onS);
  }

  /** The beer's predicted extreme if the outputs went off now; replayed every PREDICT_EVERY_S at most. */
  #coast(now: number, targetC: number): number {
    if (Number.isNaN(this.#predictedAt) || now - this.#predictedAt >= PREDICT_EVERY_S * 1000) {
      this.#predictedAt = now;
      this.#predicted = this.model.coastExtreme(this.#dir, this.#beerF, false, this.#brake(targetC, now));
    }
    return this.#predicted;
  }

  /**
   * How the coast would be braked if the output stopped now: the other output holds the air at the beer's
   * target once the guard lets it start (the driving output's minimum run, then the interlock). None when
   * the model does not know the other output well enough yet: the beer then coasts freely.
   */
  #brake(targetC: number, now: number): Brake | undefined {
    const dir = this.#dir;
    if (!this.#p.fastArrival || !this.model.canBrake(dir)) return undefined;
    const o: OutputName = dir < 0 ? 'cool' : 'heat';
    const other: OutputName = dir < 0 ? 'heat' : 'cool';
    const limits = this.#timer.limits;
    const afterS = this.#timer.isOn(o)
      ? Math.max(0, limits[o].minOnS - this.#timer.onForS(o, now)) + limits.interlockDeadS
      : (this.#timer.startInS(other, now) ?? limits.interlockDeadS);
    return { afterS, airC: targetC + this.#dir * BRAKE_AIR_C };
  }

  #flatOut(o: OutputName, now: number): ControlOutput {
    if (this.#timer.isOn(o)) {
      return this.#timer.mustStop(o, now) ? this.#off(o, now, 'idle', null) : this.#out(o, null);
    }
    if (this.#timer.mayStart(o, now)) return this.#out(o, null);
    const restS = this.#timer.startInS(o, now);
    return {
      request: { heat: false, cool: false },
      chamberTargetC: null,
      state: o === 'cool' ? 'waiting-to-cool' : 'waiting-to-heat',
      ...(restS === null ? {} : { waitS: Math.ceil(restS) }),
    };
  }

  /**
   * Follows the beer after a stop until its coast ends (it turns back, or COAST_WATCH_S pass), then tells
   * the model how far it went against the model's own prediction: the coast gain is learnt from this.
   */
  #watchCoast(): void {
    if (Number.isNaN(this.#coastFrom)) return;
    const dir = this.#dir;
    if (dir * (this.#beerF - this.#coastExtreme) > 0) this.#coastExtreme = this.#beerF;
    const turned = dir * (this.#coastExtreme - this.#beerF) > COAST_TURN_C;
    if (!turned && this.#lastNow - this.#coastStartAt < COAST_WATCH_S * 1000) return;
    this.model.learnCoast(
      this.#coastPredictedC,
      Math.abs(this.#coastExtreme - this.#coastFrom),
      this.#braking,
    );
    this.#coastFrom = Number.NaN;
  }

  /**
   * A free coast is over once the model gives it less than handBackC to go, or once it has carried the beer
   * PAST_TARGET_C past its target (a heating coast in a warm room: as soon as it reaches the target).
   */
  #coastDone(predicted: number, error: number, targetC: number, roomC: number | null): boolean {
    const pastC = this.#dir > 0 && this.#warmRoom(targetC, roomC) ? 0 : PAST_TARGET_C;
    return Math.abs(predicted - this.#beerF) < this.#p.handBackC || this.#dir * error < -pastC;
  }

  /** The room as read this tick (null without an ambient probe) is warm enough to carry a heating coast on. */
  #warmRoom(targetC: number, roomC: number | null): boolean {
    return this.#p.warmRoomHandBack && roomC !== null && roomC > targetC + WARM_ROOM_C;
  }

  /**
   * A braked coast is over once the beer has turned back (or COAST_WATCH_S passed) and the liner has had
   * LINER_SPANS of its time constant to warm back: before that, the cold still stored in it would pull the
   * air down as soon as the brake let go, and air falling with the compressor off looks to the guard like a
   * welded relay.
   */
  #brakeDone(now: number): boolean {
    const sinceS = (now - this.#coastStartAt) / 1000;
    if (sinceS >= COAST_WATCH_S) return true;
    return Number.isNaN(this.#coastFrom) && sinceS >= LINER_SPANS * this.model.linerTauS();
  }

  #handBack(): void {
    if (this.#phase === 'cascade') return;
    this.#phase = 'cascade';
    this.#cascade.restart();
  }

  #out(o: OutputName, chamberTargetC: number | null): ControlOutput {
    return {
      request: { heat: o === 'heat', cool: o === 'cool' },
      chamberTargetC,
      state: o === 'cool' ? 'cooling' : 'heating',
    };
  }

  /** Off, once the output's minimum run allows it (the guard would hold it on anyway). */
  #off(o: OutputName, now: number, state: string, chamberTargetC: number | null): ControlOutput {
    if (this.#timer.isOn(o) && !this.#timer.mayStop(o, now)) return this.#out(o, chamberTargetC);
    return { request: { heat: false, cool: false }, chamberTargetC, state };
  }
}
