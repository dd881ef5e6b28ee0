// A fermenter's own thermal model, identified while it runs from its readings and the outputs the guard
// applied. Two nodes, each a linear difference equation fitted by recursive least squares with forgetting:
//
//   chamber, every minute:  ΔC = a·(B−C) + r·(R−C) + w·(W−C) + k·x + h·heat
//   beer, every 10 minutes: ΔB = b·(C−B) + v·heat + f
//
// B, C, R are the beer, chamber and room readings averaged over the window; W is the chamber's slow mean
// (the liner's stored cold, which a 2-node model would otherwise miss after a long run); x is the
// compressor's duty seen through its dead time and the evaporator's lag. The dead time and lag are not
// linear in the data, so a small bank of chamber equations with different (dead time, lag) pairs runs side
// by side and the one with the smallest recent residual is the model. f is the fermentation heat (°C per
// window); v is the heater's direct share on a vessel heater, h its share through the air otherwise.
// Pure: time comes from the readings' `now`, nothing else.
import type { CheckedReadings, Outputs, ThermalModelSummary } from '../types.js';
import { Rls } from './rls.js';

const CHAMBER_S = 60;
const BEER_WINDOWS = 10;
const BEER_S = CHAMBER_S * BEER_WINDOWS;
/** Candidate time constants of the liner following the chamber (its mass over its coupling to the air). */
const WALL_TAUS_S = [1800, 5400, 14_400] as const;
const DELAYS = [0, 1, 3, 5] as const; // windows of CHAMBER_S
const LAGS_S = [60, 300, 900, 1800, 3600] as const;
/** Chamber memory ≈ 1/(1−λ) minutes (17 h); beer memory ≈ 200 windows of 10 min (33 h). */
const CHAMBER_LAMBDA = 0.999;
const BEER_LAMBDA = 0.995;
/** A window with a gap longer than this in its readings is dropped and the chain restarts. */
const GAP_S = 30;

/** Convergence: enough data, enough switching, and the key parameters known to this relative precision. */
const MIN_BEER_SAMPLES = 36;
const MIN_CHAMBER_SAMPLES = 180;
const MIN_STARTS = 3;
const MAX_RELATIVE_SD = 0.08;
/** A coast is played forward over this many of the air's and coil's time constants, at most COAST_MAX_S. */
const COAST_SPANS = 4;
const COAST_MAX_S = 12 * 3600;
/**
 * The coast gain before any coast is seen, its bounds, and how much of each new coast it takes in. A free
 * coast starts from the model's word. A braked one starts from 1.35: a flat-out crash stores cold in the coil
 * and liner that two nodes do not hold (braked coasts on the benchmark's fridges went 1.25–1.4× the model's
 * word), and stopping a little early costs minutes where stopping late costs overshoot.
 */
const COAST_GAIN_PRIOR = { free: 1, braked: 1.35 } as const;
const COAST_GAIN_MIN = 0.5;
const COAST_GAIN_MAX = 3;
const COAST_GAIN_STEP = 0.5;
/** A coast shorter than this (°C) says too little to learn from. */
const MIN_COAST_C = 0.2;

/** Braking a coast: after `afterS` the other output holds the chamber air at `airC` (until then it is off). */
export interface Brake {
  afterS: number;
  airC: number;
}

interface Window {
  beer: number;
  chamber: number;
  room: number;
  cool: number;
  heat: number;
}

class Accumulator {
  beer = 0;
  chamber = 0;
  room = 0;
  cool = 0;
  heat = 0;
  beerS = 0;
  chamberS = 0;
  roomS = 0;
  spanS = 0;
  clear(): void {
    this.beer = this.chamber = this.room = this.cool = this.heat = 0;
    this.beerS = this.chamberS = this.roomS = this.spanS = 0;
  }
}

class ChamberCandidate {
  readonly rls: Rls;
  readonly alpha: number;
  /** The compressor's effect through dead time and lag, at the end of the last closed window. */
  x = 0;
  xPrev = 0;
  /** The liner's temperature as this candidate sees it (NaN until the first window). */
  wall = Number.NaN;
  wallPrev = Number.NaN;
  readonly wallAlpha: number;
  constructor(
    readonly delay: number,
    readonly lagS: number,
    readonly wallTauS: number,
  ) {
    this.alpha = 1 - Math.exp(-CHAMBER_S / lagS);
    this.wallAlpha = 1 - Math.exp(-CHAMBER_S / wallTauS);
    // Safe start: a weakly coupled chamber that the compressor cools slowly.
    this.rls = new Rls(5, CHAMBER_LAMBDA, [0.02, 0.001, 0.01, -0.05, 0.05], 1, 50);
  }
}

export interface ThermalModelOptions {
  /** The heater sits on the vessel and warms the beer directly. */
  vesselHeater: boolean;
}

export class ThermalModel {
  readonly #vessel: boolean;
  readonly #acc = new Accumulator();
  #windowStart = Number.NaN;
  #lastAt = Number.NaN;
  #last: Outputs = { heat: false, cool: false };
  #prev: Window | null = null;
  /** Compressor duties of the last closed windows, newest first. */
  readonly #duties: number[] = [];
  readonly #candidates: ChamberCandidate[] = [];
  readonly #beer = new Rls(3, BEER_LAMBDA, [0.02, 0, 0], 1, 50);
  readonly #beerAcc = { beer: 0, diff: 0, heat: 0, n: 0 };
  #beerPrev: { beer: number; diff: number; heat: number } | null = null;
  #windows = 0;
  readonly #starts = { heat: 0, cool: 0 };
  #summary: ThermalModelSummary | null = null;
  readonly #coastGain: { free: number; braked: number } = { ...COAST_GAIN_PRIOR };
  #coasts = 0;
  #summaryAt = -1;
  /** The slowest dead time plus lag known so far (s; 0 before), and the window it was last checked at. */
  #transport = 0;
  #transportAt = -1;
  /** The newest values a prediction starts from. */
  #now: Window | null = null;

  constructor(options: ThermalModelOptions) {
    this.#vessel = options.vesselHeater;
    for (const d of DELAYS)
      for (const l of LAGS_S)
        for (const w of WALL_TAUS_S) this.#candidates.push(new ChamberCandidate(d, l, w));
  }

  /** Feed one tick: the checked readings and the outputs the guard actually applied since the last tick. */
  observe(now: number, readings: CheckedReadings, applied: Outputs): void {
    const dt = Number.isNaN(this.#lastAt) ? 0 : (now - this.#lastAt) / 1000;
    this.#lastAt = now;
    if (applied.cool && !this.#last.cool) this.#starts.cool++;
    if (applied.heat && !this.#last.heat) this.#starts.heat++;
    const held = this.#last;
    this.#last = applied;
    if (Number.isNaN(this.#windowStart)) this.#windowStart = now;
    // A gap (no tick, or no chamber reading for a while) breaks the difference chain.
    if (dt > GAP_S || dt < 0) {
      this.#restartChain(now);
      return;
    }
    const a = this.#acc;
    a.spanS += dt;
    if (held.cool) a.cool += dt;
    if (held.heat) a.heat += dt;
    if (readings.chamber !== null) {
      a.chamber += readings.chamber * dt;
      a.chamberS += dt;
    }
    if (readings.beer !== null) {
      a.beer += readings.beer * dt;
      a.beerS += dt;
    }
    if (readings.ambient !== null) {
      a.room += readings.ambient * dt;
      a.roomS += dt;
    }
    if ((now - this.#windowStart) / 1000 >= CHAMBER_S) this.#closeWindow(now);
  }

  #restartChain(now: number): void {
    this.#acc.clear();
    this.#windowStart = now;
    this.#prev = null;
    this.#beerPrev = null;
    this.#beerAcc.n = 0;
    this.#beerAcc.beer = this.#beerAcc.diff = this.#beerAcc.heat = 0;
  }

  #closeWindow(now: number): void {
    const a = this.#acc;
    const span = a.spanS;
    const complete = span > 0 && a.chamberS >= span - GAP_S && a.beerS >= span - GAP_S;
    if (!complete) {
      this.#restartChain(now);
      return;
    }
    const w: Window = {
      beer: a.beer / a.beerS,
      chamber: a.chamber / a.chamberS,
      room: a.roomS > 0 ? a.room / a.roomS : Number.NaN,
      cool: a.cool / span,
      heat: a.heat / span,
    };
    a.clear();
    this.#windowStart = now;
    this.#windows++;
    if (Number.isNaN(w.room)) w.room = w.chamber;
    this.#duties.unshift(w.cool);
    if (this.#duties.length > 8) this.#duties.pop();
    const p = this.#prev;
    for (const c of this.#candidates) {
      c.xPrev = c.x;
      c.x += c.alpha * ((this.#duties[c.delay] ?? 0) - c.x);
      c.wallPrev = Number.isNaN(c.wall) ? w.chamber : c.wall;
      c.wall = c.wallPrev + (w.chamber - c.wallPrev) * c.wallAlpha;
      if (p) {
        const mid = (f: (v: Window) => number) => (f(p) + f(w)) / 2;
        c.rls.update(
          [
            mid((v) => v.beer - v.chamber),
            mid((v) => v.room - v.chamber),
            (c.wallPrev + c.wall) / 2 - mid((v) => v.chamber),
            (c.xPrev + c.x) / 2,
            this.#vessel ? 0 : mid((v) => v.heat),
          ],
          w.chamber - p.chamber,
        );
      }
    }
    this.#prev = w;
    this.#now = w;
    const b = this.#beerAcc;
    b.beer += w.beer;
    b.diff += w.chamber - w.beer;
    b.heat += w.heat;
    b.n++;
    if (b.n === BEER_WINDOWS) {
      const cur = { beer: b.beer / b.n, diff: b.diff / b.n, heat: b.heat / b.n };
      const bp = this.#beerPrev;
      if (bp) {
        this.#beer.update(
          [(bp.diff + cur.diff) / 2, this.#vessel ? (bp.heat + cur.heat) / 2 : 0, 1],
          cur.beer - bp.beer,
        );
      }
      this.#beerPrev = cur;
      b.beer = b.diff = b.heat = 0;
      b.n = 0;
    }
  }

  #best(): ChamberCandidate {
    let best = this.#candidates[0] as ChamberCandidate;
    for (const c of this.#candidates) if (c.rls.residual < best.rls.residual) best = c;
    return best;
  }

  #relSd(rls: Rls, i: number): number {
    const v = Math.abs(rls.theta[i] as number);
    return v === 0 ? Number.POSITIVE_INFINITY : rls.sd(i) / v;
  }

  /**
   * How far the beer really coasts against how far the model said, learnt from each finished coast. Two
   * nodes hold less cold than a real liner and coil store after a long run, and a beer equation learnt
   * through a fermentation peak may misjudge the beer's coupling: each coast corrects the next one of the
   * same kind (free, or braked by the other output).
   */
  coastGain(braked = false): number {
    return this.#coastGain[braked ? 'braked' : 'free'];
  }

  /** A coast has ended: the model predicted `predictedC` of motion after the stop, the beer went `actualC`. */
  learnCoast(predictedC: number, actualC: number, braked = false): void {
    if (!(predictedC >= MIN_COAST_C) || !Number.isFinite(actualC)) return;
    const ratio = Math.min(COAST_GAIN_MAX, Math.max(COAST_GAIN_MIN, actualC / predictedC));
    const k = braked ? 'braked' : 'free';
    this.#coastGain[k] += (ratio - this.#coastGain[k]) * COAST_GAIN_STEP;
    this.#coasts++;
    this.#summary = null;
  }

  /** Whether the model may plan the output `o`: it has seen enough of it and knows its effect well enough. */
  converged(o: 'cool' | 'heat'): boolean {
    return o === 'cool' ? this.summary().converged : this.summary().heatConverged;
  }

  /**
   * How long the chamber air takes to answer the compressor (dead time plus lag, s), once the chamber's
   * equation knows the compressor's effect (the beer's need not be known yet); 0 before. The slowest seen
   * is kept: the coil does not get quicker, but after a long rest (a warm spell, heating) or a long crash
   * run the evidence for it fades, and the best candidate may briefly be a quicker one.
   */
  transportS(): number {
    if (this.#transportAt === this.#windows) return this.#transport;
    this.#transportAt = this.#windows;
    const c = this.#best();
    const th = c.rls.theta;
    const known =
      c.rls.samples >= MIN_CHAMBER_SAMPLES &&
      this.#starts.cool >= MIN_STARTS &&
      (th[3] as number) < 0 &&
      this.#relSd(c.rls, 3) < MAX_RELATIVE_SD;
    if (known) this.#transport = Math.max(this.#transport, c.delay * CHAMBER_S + c.lagS);
    return this.#transport;
  }

  #converged(o: 'cool' | 'heat'): boolean {
    const beer = this.#beer;
    const c = this.#best().rls;
    const th = c.theta;
    const beerOk =
      beer.samples >= MIN_BEER_SAMPLES &&
      (beer.theta[0] as number) > 0 &&
      this.#relSd(beer, 0) < MAX_RELATIVE_SD;
    const chamberOk =
      c.samples >= MIN_CHAMBER_SAMPLES &&
      (th[0] as number) + (th[1] as number) + (th[2] as number) > 0 &&
      (th[0] as number) > 0;
    if (!beerOk || !chamberOk) return false;
    if (o === 'cool') {
      return this.#starts.cool >= MIN_STARTS && (th[3] as number) < 0 && this.#relSd(c, 3) < MAX_RELATIVE_SD;
    }
    if (this.#starts.heat < MIN_STARTS) return false;
    return this.#vessel
      ? (beer.theta[1] as number) > 0 && this.#relSd(beer, 1) < MAX_RELATIVE_SD
      : (th[4] as number) > 0 && this.#relSd(c, 4) < MAX_RELATIVE_SD;
  }

  /** The summary changes only when a window closes; the state asks for it every tick. */
  summary(): ThermalModelSummary {
    if (this.#summary === null || this.#summaryAt !== this.#windows) {
      this.#summary = this.#summarise();
      this.#summaryAt = this.#windows;
    }
    return this.#summary;
  }

  #summarise(): ThermalModelSummary {
    const c = this.#best();
    const th = c.rls.theta;
    const beer = this.#beer;
    const b = beer.theta;
    const perH = (v: number, windowS: number) => (v * 3600) / windowS;
    const known = (v: number) => (Number.isFinite(v) ? v : null);
    const beerKnown = beer.samples >= MIN_BEER_SAMPLES;
    const chamberKnown = c.rls.samples >= MIN_CHAMBER_SAMPLES;
    const chamberRate = (th[0] as number) + (th[1] as number) + (th[2] as number);
    const heat = this.#vessel ? perH(b[1] as number, BEER_S) : perH(th[4] as number, CHAMBER_S);
    const sds = [
      beerKnown ? this.#relSd(beer, 0) : Number.POSITIVE_INFINITY,
      chamberKnown ? this.#relSd(c.rls, 3) : Number.POSITIVE_INFINITY,
    ];
    const worst = Math.max(...sds);
    return {
      converged: this.#converged('cool'),
      heatConverged: this.#converged('heat'),
      confidence: Number.isFinite(worst) ? Math.max(0, Math.min(1, 1 - worst)) : 0,
      learntH: (this.#windows * CHAMBER_S) / 3600,
      beerTauH: beerKnown && (b[0] as number) > 0 ? known(BEER_S / (b[0] as number) / 3600) : null,
      chamberTauH: chamberKnown && chamberRate > 0 ? known(CHAMBER_S / chamberRate / 3600) : null,
      coolingCPerH: chamberKnown ? perH(th[3] as number, CHAMBER_S) : null,
      heatingCPerH: (this.#vessel ? beerKnown : chamberKnown) && this.#starts.heat > 0 ? heat : null,
      heaterWarms: this.#vessel ? 'beer' : 'chamber',
      roomCouplingPerH: chamberKnown ? perH(th[1] as number, CHAMBER_S) : null,
      fermentationCPerH: beerKnown ? perH(b[2] as number, BEER_S) : null,
      compressorDelayS: c.delay * CHAMBER_S,
      compressorLagS: c.lagS,
      coastGain: this.#coastGain.free,
      coastsSeen: this.#coasts,
      residualC: {
        beer: beerKnown ? beer.residual : null,
        chamber: chamberKnown ? c.rls.residual : null,
      },
    };
  }

  /**
   * The beer's extreme in the direction `dir` (−1: its lowest, +1: its highest) if both outputs were
   * switched off now and stayed off: how far it coasts on the cold (or heat) already on its way, scaled by
   * the learnt coast gain unless `raw`. NaN before the first window.
   */
  coastExtreme(dir: -1 | 1, beerNowC: number, raw = false, brake?: Brake): number {
    const extreme = this.#play(dir, beerNowC, false, Number.NaN, Number.NaN, Number.NaN, brake).extremeC;
    return beerNowC + (extreme - beerNowC) * (raw ? 1 : this.coastGain(brake !== undefined));
  }

  /** Seconds a coast (everything off from now) takes to bring the beer within `bandC` of `targetC`. */
  coastBandS(dir: -1 | 1, beerNowC: number, targetC: number, bandC: number, brake?: Brake): number {
    return this.#play(dir, beerNowC, false, targetC, bandC, Number.NaN, brake).bandS;
  }

  /**
   * Seconds until the beer is within `bandC` of `targetC` with the output that moves it that way on from
   * now, the chamber air held at `limitC` once it gets there (the chamber loop's floor or ceiling).
   */
  flatOutBandS(dir: -1 | 1, beerNowC: number, targetC: number, bandC: number, limitC: number): number {
    return this.#play(dir, beerNowC, true, targetC, bandC, limitC).bandS;
  }

  /** How slowly the liner follows the chamber air, as the model sees it: its time constant, seconds. */
  linerTauS(): number {
    return this.#best().wallTauS;
  }

  /**
   * Whether a coast can be braked: only a cooling one, by a chamber heater whose effect the model knows. A
   * heating coast is braked by no compressor: its dead time and minimum run would chill the air past the
   * target, and the guard reads air falling with the compressor off as a welded relay.
   */
  canBrake(dir: -1 | 1): boolean {
    return dir < 0 && !this.#vessel && this.converged('heat');
  }

  /**
   * Plays the model forward minute by minute. Off: over the time the stored cold takes to spend itself (a
   * few of the air's and the coil's time constants), the motion after that being the room's or the
   * fermentation's doing, which no stop decision should wait for; it ends early once the beer turns back.
   * On: up to COAST_MAX_S. The coast's displacement is scaled by the coast gain for the band time.
   */
  #play(
    dir: -1 | 1,
    beerNowC: number,
    on: boolean,
    targetC: number,
    bandC: number,
    limitC = Number.NaN,
    brake?: Brake,
  ): { extremeC: number; bandS: number } {
    const w = this.#now;
    if (!w) return { extremeC: Number.NaN, bandS: Number.POSITIVE_INFINITY };
    const c = this.#best();
    const th = c.rls.theta;
    const b = this.#beer.theta;
    const [ka, kr, kw, kc, kh] = [th[0], th[1], th[2], th[3], th[4]] as [
      number,
      number,
      number,
      number,
      number,
    ];
    const rate = ka + kr + kw;
    const airS = rate > 0 ? CHAMBER_S / rate : COAST_MAX_S;
    const horizonS = on
      ? COAST_MAX_S
      : Math.min(COAST_MAX_S, COAST_SPANS * (airS + c.lagS) + c.delay * CHAMBER_S);
    const bPerMin = (b[0] as number) / BEER_WINDOWS;
    const vPerMin = (b[1] as number) / BEER_WINDOWS;
    const fPerMin = (b[2] as number) / BEER_WINDOWS;
    const cool = on && dir < 0 ? 1 : 0;
    const heat = on && dir > 0 ? 1 : 0;
    const gain = on ? 1 : this.coastGain(brake !== undefined);
    // The compressor's duty still in its dead time keeps arriving; the open window counts as it is so far.
    const a = this.#acc;
    const openDuty = a.spanS > 0 ? a.cool / CHAMBER_S : 0;
    const queue = [openDuty, ...this.#duties];
    let beer = beerNowC;
    let chamber = w.chamber;
    let wall = c.wall;
    let x = c.x;
    let extreme = beer;
    const room = w.room;
    const inBand = (v: number) => Math.abs(beerNowC + (v - beerNowC) * gain - targetC) <= bandC;
    if (inBand(beer)) return { extremeC: beer, bandS: 0 };
    for (let i = 1; i <= horizonS / CHAMBER_S; i++) {
      // Window i ahead sees the duty of window i − delay, where 0 is the open one and beyond it `cool`.
      const j = c.delay - i + 1;
      // Braking: once its timing allows, the other output holds the air at brake.airC, no further.
      const braking = brake !== undefined && i * CHAMBER_S > brake.afterS && dir * (chamber - brake.airC) > 0;
      const u = j >= 0 ? (queue[j] ?? 0) : cool;
      x += c.alpha * (u - x);
      const dC =
        ka * (beer - chamber) +
        kr * (room - chamber) +
        kw * (wall - chamber) +
        kc * x +
        kh * heat * (this.#vessel ? 0 : 1) +
        (braking ? (dir < 0 ? kh : kc) : 0);
      const dB = bPerMin * (chamber - beer) + fPerMin + vPerMin * heat;
      chamber += dC;
      if (on && dir < 0 && chamber < limitC) chamber = limitC;
      if (on && dir > 0 && !this.#vessel && chamber > limitC) chamber = limitC;
      if (braking && dir * (chamber - brake.airC) < 0) chamber = brake.airC;
      wall += (chamber - wall) * c.wallAlpha;
      beer += dB;
      if (inBand(beer)) return { extremeC: beer, bandS: i * CHAMBER_S };
      if (dir * (beer - extreme) > 0) extreme = beer;
      // Turned back, once the cold still in the dead time has arrived: that was the extreme.
      else if (!on && i > c.delay + 2) break;
    }
    return { extremeC: extreme, bandS: Number.POSITIVE_INFINITY };
  }
}
