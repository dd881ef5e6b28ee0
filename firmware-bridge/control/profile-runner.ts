// A temperature profile that runs on time and, where a step says so, on gravity (as BrewPiLess does):
// a step ends when its time is up, or earlier once gravity has reached a value or stayed stable.
import type { ControlConfig } from '../config-schema.js';
import type { ProfileAhead, ProfileView } from '../types.js';

export type ProfileStep = ControlConfig['profile'][number];

export interface ProfilePoint {
  beerC: number;
  /** °C per second the target moves (ramps), for the controller's feed-forward. */
  slopeCPerS: number;
  stepIndex: number;
  /** Seconds left in the current step at most (a gravity condition may end it sooner). */
  stepRemainingS: number;
  done: boolean;
  /** The step's clock is paused by a person: its target stands still and it does not end. */
  held: boolean;
}

export interface GravitySample {
  gravity: number;
  at: number;
}

/** Where a running profile has got to: enough to carry on after a restart exactly where it stood. */
export interface ProfileProgress {
  stepIndex: number;
  stepStartAt: number;
  /** Where the current step's ramp starts from, °C. */
  fromC: number;
  /** Filtered gravity readings the current conditions are judged on (null when none yet). */
  gravity: GravitySample[];
  filteredGravity: number | null;
  /** Since when the step is held; null or absent when it runs. */
  heldAt?: number | null;
  /** Time the step was held before, which its clock leaves out. */
  pausedMs?: number;
  /** Time added to the step by extensions. */
  addedMs?: number;
  /** The step's own time at which its ramp starts from `fromC` (an extended ramp goes on from where it was). */
  rampFromMs?: number;
}

/** Keep at most this much gravity history: the longest stable window any step asks for, plus a margin. */
const HISTORY_MARGIN_MS = 3_600_000;
/**
 * Hydrometer readings scatter by about a point; conditions are judged on a low-pass of them (time
 * constant in ms), so one low reading does not end a step and noise does not hide a stable gravity.
 */
const GRAVITY_FILTER_MS = 2 * 3_600_000;
/**
 * A gravity target ends a step only once this many readings of the step, spread over at least
 * GRAVITY_CONFIRM_MS, all say so: never on a single reading, nor on a burst of them.
 */
const GRAVITY_CONFIRM_READINGS = 3;
const GRAVITY_CONFIRM_MS = 30 * 60_000;
/**
 * The most gravity can move between two readings: five points of scatter plus the fastest fermentation's
 * two points an hour. A reading further from the last accepted one is refused as implausible, unless
 * GRAVITY_CONFIRM_READINGS readings in a row agree on the new value (a hydrometer moved to another brew).
 */
const GRAVITY_JUMP_SG = 0.005;
const GRAVITY_RATE_SG_PER_H = 0.002;

/** A step the caller may keep: the view goes out with every state, so a cheap copy rather than a clone. */
const copyStep = (s: ProfileStep): ProfileStep => (s.until ? { ...s, until: { ...s.until } } : { ...s });

export class ProfileRunner {
  #index = 0;
  #stepStart: number;
  #fromC: number;
  /** Filtered gravity, one entry per new reading. */
  #history: GravitySample[] = [];
  #filtered = Number.NaN;
  /** The last reading taken in, as it came (the jump check compares with it). */
  #lastRaw: GravitySample | null = null;
  /** Readings refused as implausible jumps since the profile started. */
  #refused = 0;
  /** Consecutive refused readings that agree with each other: enough of them and the jump is believed. */
  #jumped: GravitySample[] = [];
  #keepMs = HISTORY_MARGIN_MS;
  #steps: readonly ProfileStep[] = [];
  #heldAt: number | null = null;
  #pausedMs = 0;
  #addedMs = 0;
  #rampFromMs = 0;

  /**
   * `startC`: the beer temperature when the profile started; a leading ramp starts from it. `fromStep` starts
   * the profile at that step (from 0), a ramp there starting from `startC` too.
   */
  constructor(steps: readonly ProfileStep[], startAt: number, startC: number, fromStep = 0) {
    this.#stepStart = startAt;
    this.#fromC = startC;
    this.#index = fromStep;
    this.#setSteps(steps);
  }

  /** A runner that carries on from stored progress; `at()` then walks past every step whose time is up. */
  static resume(steps: readonly ProfileStep[], p: ProfileProgress): ProfileRunner {
    const r = new ProfileRunner(steps, p.stepStartAt, p.fromC, p.stepIndex);
    r.#history = p.gravity.map((g) => ({ ...g }));
    r.#filtered = p.filteredGravity ?? Number.NaN;
    r.#heldAt = p.heldAt ?? null;
    r.#pausedMs = p.pausedMs ?? 0;
    r.#addedMs = p.addedMs ?? 0;
    r.#rampFromMs = p.rampFromMs ?? 0;
    return r;
  }

  get steps(): readonly ProfileStep[] {
    return this.#steps;
  }

  #setSteps(steps: readonly ProfileStep[]): void {
    this.#steps = steps;
    const longest = Math.max(0, ...steps.map((s) => s.until?.stableH ?? 0));
    this.#keepMs = longest * 3_600_000 + HISTORY_MARGIN_MS;
  }

  /** Which step runs: with `gravityAt`, what changes its progress. */
  get stepIndex(): number {
    return this.#index;
  }

  /** Since when the running step is held; null when it runs. */
  get heldAt(): number | null {
    return this.#heldAt;
  }

  /** Time added to the running step: with `stepIndex` and `heldAt`, what a person's operation changes. */
  get addedMs(): number {
    return this.#addedMs;
  }

  /** When the latest gravity reading it keeps was taken; NaN when none. */
  get gravityAt(): number {
    return this.#history.at(-1)?.at ?? Number.NaN;
  }

  progress(): ProfileProgress {
    return {
      stepIndex: this.#index,
      stepStartAt: this.#stepStart,
      fromC: this.#fromC,
      gravity: this.#history.map((g) => ({ ...g })),
      filteredGravity: Number.isNaN(this.#filtered) ? null : this.#filtered,
      heldAt: this.#heldAt,
      pausedMs: this.#pausedMs,
      addedMs: this.#addedMs,
      rampFromMs: this.#rampFromMs,
    };
  }

  /** Where the profile stands at `now`, given the latest gravity reading (null when none is known). */
  at(now: number, gravity: GravitySample | null = null): ProfilePoint {
    this.#record(gravity, now);
    for (;;) {
      const step = this.#steps[this.#index];
      if (!step) {
        return {
          beerC: this.#fromC,
          slopeCPerS: 0,
          stepIndex: this.#index,
          stepRemainingS: 0,
          done: true,
          held: false,
        };
      }
      const held = this.#heldAt !== null;
      const durMs = this.#durationMs(step);
      const elapsed = this.#elapsed(now);
      const slope = this.#slope(step, durMs);
      const ramping = slope !== 0;
      if (!held && elapsed >= durMs) {
        this.#next(step.targetC, this.#stepStart + this.#pausedMs + durMs);
        continue;
      }
      const beerC = ramping ? this.#fromC + (slope * (elapsed - this.#rampFromMs)) / 1000 : step.targetC;
      if (!held && this.#gravitySaysDone(step, now, elapsed)) {
        // A ramp cut short continues from where its target had got to.
        this.#next(beerC, now);
        continue;
      }
      return {
        beerC,
        slopeCPerS: held ? 0 : slope,
        stepIndex: this.#index,
        stepRemainingS: (durMs - elapsed) / 1000,
        done: false,
        held,
      };
    }
  }

  /** The current step's slope, °C/s: a ramp's from where it (re)started, 0 for a hold. */
  #slope(step: ProfileStep, durMs: number): number {
    const rampMs = durMs - this.#rampFromMs;
    return step.type === 'ramp' && rampMs > 0 ? (step.targetC - this.#fromC) / (rampMs / 1000) : 0;
  }

  /**
   * Where the profile's ramps take the target over the `leadS` seconds after `now`, as at(now) left it: the
   * move (°C) and the slope at the end of it. Only time is looked ahead (a gravity condition may end a step
   * sooner), a held step stands still, and holds, with the jumps between them, move nothing.
   */
  ahead(now: number, leadS: number): ProfileAhead {
    if (this.#heldAt !== null) return { moveC: 0, slopeCPerS: 0 };
    let leftS = leadS;
    let moveC = 0;
    let slope = 0;
    for (let i = this.#index; i < this.#steps.length && leftS > 0; i++) {
      const step = this.#steps[i] as ProfileStep;
      let spanS: number;
      if (i === this.#index) {
        const durMs = this.#durationMs(step);
        slope = this.#slope(step, durMs);
        spanS = Math.max(0, (durMs - this.#elapsed(now)) / 1000);
      } else {
        const fromC = (this.#steps[i - 1] as ProfileStep).targetC;
        spanS = step.durationH * 3600;
        slope = step.type === 'ramp' && spanS > 0 ? (step.targetC - fromC) / spanS : 0;
      }
      const useS = Math.min(leftS, spanS);
      moveC += slope * useS;
      leftS -= useS;
    }
    // Past the profile's end the target stands still.
    return { moveC, slopeCPerS: leftS > 0 ? 0 : slope };
  }

  // A person's operations on the running profile. Each first brings the profile up to `now`, and does
  // nothing once it is done: the caller tells the person so.

  /** Ends the running step now; the next starts from the target it had got to. */
  skipStep(now: number): void {
    const p = this.at(now);
    if (!p.done) this.#next(p.beerC, now);
  }

  /** Pauses the running step's clock until resume(): its target stands still and it does not end. */
  hold(now: number): void {
    if (!this.at(now).done) this.#heldAt ??= now;
  }

  resume(now: number): void {
    if (this.#heldAt === null) return;
    this.#pausedMs += now - this.#heldAt;
    this.#heldAt = null;
  }

  /** Adds time to the running step; a ramp goes on from where its target is, only slower. */
  extend(ms: number, now: number): void {
    const p = this.at(now);
    const step = this.#steps[this.#index];
    if (p.done || step === undefined) return;
    if (step.type === 'ramp') {
      this.#fromC = p.beerC;
      this.#rampFromMs = this.#elapsed(now);
    }
    this.#addedMs += ms;
  }

  /** Replaces the steps after the running one; the running step goes on as it is. */
  replaceNext(next: readonly ProfileStep[], now: number): void {
    if (this.at(now).done) return;
    this.#setSteps([...this.#steps.slice(0, this.#index + 1), ...next]);
  }

  /** Progress and time left at `now`, or null once the profile is done. */
  view(now: number): ProfileView | null {
    const p = this.at(now);
    const step = this.#steps[this.#index];
    if (p.done || step === undefined) return null;
    const next = this.#steps.slice(this.#index + 1);
    const remainingS = p.stepRemainingS + next.reduce((sum, s) => sum + s.durationH * 3600, 0);
    return {
      step: this.#index,
      steps: this.#steps.length,
      held: p.held,
      current: { ...copyStep(step), durationH: this.#durationMs(step) / 3_600_000 },
      next: next.map(copyStep),
      stepElapsedS: this.#elapsed(now) / 1000,
      stepRemainingS: p.stepRemainingS,
      remainingS,
      endsAt: now + remainingS * 1000,
    };
  }

  #durationMs(step: ProfileStep): number {
    return step.durationH * 3_600_000 + this.#addedMs;
  }

  /** The running step's own time: held time left out, standing still while held. */
  #elapsed(now: number): number {
    return (this.#heldAt ?? now) - this.#stepStart - this.#pausedMs;
  }

  #next(fromC: number, startAt: number): void {
    this.#fromC = fromC;
    this.#stepStart = startAt;
    this.#index++;
    this.#heldAt = null;
    this.#pausedMs = 0;
    this.#addedMs = 0;
    this.#rampFromMs = 0;
  }

  /** Readings refused as implausible jumps (a reading that cannot be a fermentation's). */
  refusedReadings(): number {
    return this.#refused;
  }

  #record(sample: GravitySample | null, now: number): void {
    const h = this.#history;
    const last = h[h.length - 1];
    if (sample && (!last || sample.at > last.at) && !this.#implausible(sample)) {
      this.#lastRaw = sample;
      const w = last ? Math.min(1, (sample.at - last.at) / GRAVITY_FILTER_MS) : 1;
      this.#filtered = Number.isNaN(this.#filtered)
        ? sample.gravity
        : this.#filtered + (sample.gravity - this.#filtered) * w;
      h.push({ gravity: this.#filtered, at: sample.at });
    }
    while (h.length > 0 && (h[0] as GravitySample).at < now - this.#keepMs) h.shift();
  }

  #implausible(sample: GravitySample): boolean {
    const near = (a: GravitySample, b: GravitySample) =>
      Math.abs(a.gravity - b.gravity) <=
      GRAVITY_JUMP_SG + (GRAVITY_RATE_SG_PER_H * Math.abs(a.at - b.at)) / 3_600_000;
    const prev = this.#lastRaw;
    if (prev === null || near(sample, prev)) {
      this.#jumped = [];
      return false;
    }
    const lastJump = this.#jumped[this.#jumped.length - 1];
    this.#jumped = lastJump !== undefined && near(sample, lastJump) ? [...this.#jumped, sample] : [sample];
    if (this.#jumped.length >= GRAVITY_CONFIRM_READINGS) {
      this.#jumped = [];
      return false;
    }
    this.#refused += 1;
    return true;
  }

  #gravitySaysDone(step: ProfileStep, now: number, elapsed: number): boolean {
    const until = step.until;
    if (!until || elapsed < until.minH * 3_600_000) return false;
    // Only readings taken during this step count: the step's own fermentation is what is judged.
    const h = this.#history.filter((s) => s.at >= this.#stepStart);
    const latest = h[h.length - 1];
    if (!latest) return false;
    if (until.gravityAtMost !== undefined && h.length >= GRAVITY_CONFIRM_READINGS) {
      const target = until.gravityAtMost;
      const confirming = h.slice(-GRAVITY_CONFIRM_READINGS);
      const spread = latest.at - (confirming[0] as GravitySample).at;
      if (spread >= GRAVITY_CONFIRM_MS && confirming.every((s) => s.gravity <= target)) return true;
    }
    if (until.stableH !== undefined) {
      const from = now - until.stableH * 3_600_000;
      if ((h[0] as GravitySample).at > from) return false;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      // The last reading at or before the window's start counts: it held until the next one came.
      for (let i = h.length - 1; i >= 0; i--) {
        const g = (h[i] as GravitySample).gravity;
        lo = Math.min(lo, g);
        hi = Math.max(hi, g);
        if ((h[i] as GravitySample).at <= from) break;
      }
      return hi - lo <= until.stablePoints / 1000 + 1e-9;
    }
    return false;
  }
}
