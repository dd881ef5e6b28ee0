// One fermenter's control tick: board → safety checks → controller → safety guard → outputs.
// The guard holds the board's output port; nothing here can switch an output except through it.
import { EventEmitter } from 'node:events';
import type { Clock } from '../common/clock.js';
import { noBoardFailsafe } from './boards/board-failsafe.js';
import { loadDeviations } from './boards/loads.js';
import { resolveProfile } from './boards/resolve.js';
import { calibrate } from './calibration.js';
import {
  BeerSetpointValue,
  checkBeerSetpoint,
  checkChamberSetpoint,
  checkExtendHours,
  checkFromStep,
  checkMode,
  checkNextSteps,
  checkProfileSteps,
  FermenterStoppedError,
  NoProfileError,
  NoSuchStepError,
  ProfileNotRunningError,
} from './commands.js';
import type { FermenterConfig } from './config-schema.js';
import type { CascadeTuning } from './control/cascade.js';
import { ModelController, type PlannerTuning } from './control/model-controller.js';
import { type GravitySample, ProfileRunner, type ProfileStep } from './control/profile-runner.js';
import { ThermalModel } from './control/thermal-model.js';
import { CODES } from './safety/codes.js';
import { degC, duration } from './safety/format.js';
import { SafetyGuard } from './safety/guard.js';
import type { ControlIntent, FermenterMemory, LastSeen } from './state/control-state.js';
import { configuredIntent, type ResumeNote, resumeIntent } from './state/resume.js';
import type {
  Board,
  BoardSummary,
  CheckedReadings,
  Controller,
  ControlMode,
  ControlTarget,
  FermenterState,
  Incident,
  Outputs,
  ProfileView,
  SafetyCode,
  TimingLimits,
} from './types.js';

export interface FermenterEvents {
  state: [FermenterState];
  incident: [Incident];
}

export interface FermenterOptions {
  /** Replace cobrew's controller (benchmarks compare others on the same path). */
  controller?: (limits: TimingLimits) => Controller;
  /** The board as the state shows it; the fleet's board session gives it for real boards. */
  boardSummary?: () => BoardSummary;
  /**
   * Where its intent, latched trips and output times are kept across restarts. Without one it starts from
   * cobrew.yaml every time (tests, benchmarks).
   */
  memory?: FermenterMemory;
}

/** Who made a change, when a command does not say. */
const SOMEONE = 'a command';

/**
 * cobrew's own controller, set up from a fermenter's configuration. Every controller it makes (a new one
 * after a failure) shares one learnt model, so the fermenter is not learnt again.
 */
export function cascadeFor(
  config: FermenterConfig,
  planner: Partial<PlannerTuning & Pick<CascadeTuning, 'coolPulseS' | 'heatPulseS'>> = {},
): (limits: TimingLimits) => Controller {
  const heaterMount = config.board.heaterMount;
  const model = new ThermalModel({ vesselHeater: heaterMount === 'vessel' });
  return (limits) =>
    new ModelController(limits, {
      chamberMinC: config.control.chamberMinC,
      chamberMaxC: config.control.chamberMaxC,
      guardAirC: {
        minC: config.safety.chamber.minC,
        maxC: Math.min(config.safety.chamber.maxC, config.safety.overTempC),
      },
      fastArrival: config.control.fastArrival,
      slowFridgePulses: config.control.slowFridgePulses,
      shortHeatPulses: config.control.shortHeatPulses,
      warmRoomHandBack: config.control.warmRoomHandBack,
      rampPreview: config.control.rampPreview,
      slowFridgeGain: config.control.slowFridgeGain,
      heaterMount,
      model,
      ...planner,
    });
}

/** The board as configured, before anything is heard from it. */
export function configuredBoard(config: FermenterConfig): BoardSummary {
  const board = config.board;
  if (board.type === 'sim')
    return { kind: 'sim', profile: 'sim', modified: false, deviations: [], connected: true };
  const { id, modified, deviations } = resolveProfile(board);
  const loads = loadDeviations(config);
  const notice = noBoardFailsafe(board);
  return {
    kind: board.type,
    profile: id,
    modified: modified || loads.length > 0,
    deviations: [...deviations, ...loads],
    connected: false,
    warnings: notice === null ? [] : [notice],
  };
}

/** An iSpindel reports every 15 min or so; after two hours of silence its gravity is no longer shown or used. */
const HYDROMETER_STALE_MS = 2 * 3_600_000;

export class Fermenter extends EventEmitter<FermenterEvents> {
  readonly id: string;
  readonly name: string;
  readonly guard: SafetyGuard;
  /** Whether it resumed its stored intent or took cobrew.yaml's, and why. */
  readonly resumed: ResumeNote;
  #controller: Controller;
  readonly #newController: () => Controller;
  readonly #memory: FermenterMemory | null;
  /** Everything it was told, as stored: changed only after the store has it. */
  #intent: ControlIntent;
  /** Created at the first beer reading after the profile starts (a leading ramp starts from it), or from the stored progress. */
  #runner: ProfileRunner | null = null;
  /** The progress last stored: the step, and the latest gravity reading it had. */
  #storedProgress = { step: -1, gravityAt: Number.NaN };
  /** The last readings before cobrew stopped, until the outage they end is recorded. */
  #outageSince: LastSeen | null;
  /** The latest hydrometer reading (iSpindel): gravity joins the state, and profile steps may end on it. */
  #hydrometer: (GravitySample & { batteryV: number | null }) | null = null;
  /** The profile's beer target at the last tick, where stopProfile() holds the beer. */
  #profileTargetC: number | null = null;
  /** The profile step the last tick ran, for the state; null when none ran. */
  #profileStep: number | null = null;
  /** Progress and time left of the profile the last tick ran, for the state. */
  #profileView: ProfileView | null = null;
  #stopped: string | null = null;
  #applied: Outputs = { heat: false, cool: false };
  #latest: FermenterState | null = null;
  readonly #boardSummary: () => BoardSummary;

  constructor(
    readonly config: FermenterConfig,
    readonly board: Board,
    readonly clock: Clock,
    options: FermenterOptions = {},
  ) {
    super();
    this.id = config.id;
    this.name = config.name;
    this.#memory = options.memory ?? null;
    const stored = this.#memory?.load() ?? { intent: null, guard: null, seen: null };
    const { intent, note } = resumeIntent(stored.intent, configuredIntent(config.control, clock.now()));
    if (intent !== stored.intent) this.#memory?.saveIntent(intent);
    this.#intent = intent;
    this.resumed = note;
    this.#outageSince = stored.seen;
    const summary = Object.freeze(configuredBoard(config));
    this.#boardSummary = options.boardSummary ?? (() => summary);
    this.guard = new SafetyGuard({
      fermenterId: config.id,
      safety: config.safety,
      heaterMount: config.board.heaterMount,
      enabled: { heat: config.outputs.heat.enabled, cool: config.outputs.cool.enabled },
      port: board.outputs,
      clock,
      settings: () => this.settings(),
      memory: stored.guard,
      ...(this.#memory === null ? {} : { remember: (m) => this.#memory?.saveGuard(m) }),
    });
    this.guard.on('incident', (incident) => this.emit('incident', incident));
    const limits = this.guard.timing();
    const make = options.controller ?? cascadeFor(config);
    this.#newController = () => make(limits);
    this.#controller = this.#newController();
  }

  get controller(): Controller {
    return this.#controller;
  }

  /**
   * After a failure: a new controller, and the profile taken up again from the stored intent. The guard stays
   * as it is, latches and output times included.
   */
  restartControl(): void {
    this.#controller = this.#newController();
    this.#runner = null;
    this.#storedProgress = { step: -1, gravityAt: Number.NaN };
  }

  /** Run one control tick at the clock's current time and return the resulting state. */
  tick(): FermenterState {
    const now = this.clock.now();
    const readings = this.guard.check(calibrate(this.board.read(), this.config.sensors));
    if (this.#outageSince !== null) this.#recordOutage(this.#outageSince, readings);
    const target = this.#target(now, readings);
    const out = this.#controller.step({ now, readings, target, applied: this.#applied });
    this.#applied = this.guard.apply(out.request);
    const safety = this.guard.status();
    const hydrometer = this.#fresh(now);
    const state: FermenterState = {
      id: this.id,
      name: this.name,
      at: now,
      beerC: readings.beer,
      chamberC: readings.chamber,
      ambientC: readings.ambient,
      mode: this.#intent.mode,
      beerSetpointC: target.mode === 'beer' ? target.beerC : null,
      chamberSetpointC: out.chamberTargetC,
      outputs: this.#applied,
      controllerState: safety.status === 'tripped' ? 'tripped' : out.state,
      controllerWaitS: safety.status === 'tripped' ? null : (out.waitS ?? null),
      safety,
      gravity: hydrometer?.gravity ?? null,
      hydrometerBatteryV: hydrometer?.batteryV ?? null,
      profileStep: this.#profileStep,
      profile: this.#profileView,
      board: this.#boardSummary(),
      thermalModel: this.#controller.thermalModel?.() ?? null,
    };
    this.#latest = state;
    this.emit('state', state);
    // After the state has gone out: the reading only dates an outage, and once a second its commit is the
    // whole fleet's, which the state need not wait for.
    this.#memory?.saveSeen({ at: now, beerC: readings.beer, chamberC: readings.chamber });
    return state;
  }

  latest(): FermenterState | null {
    return this.#latest;
  }

  /** What drives the probes and relays, e.g. `sim`. */
  get boardKind(): string {
    return this.board.kind;
  }

  // Commands. Each checks its value against cobrew.yaml's limits and changes nothing when it throws; the next
  // tick's state shows the change.

  // Every change is stored before the command returns, so whoever sent it is only told once it is kept.

  /** Switching to profile starts the profile from its first step, unless it is already running. */
  setMode(mode: ControlMode, by = SOMEONE): void {
    const m = checkMode(mode);
    this.#assertRunning();
    if (m === this.#intent.mode) return;
    if (m === 'profile') this.#startProfile(this.#intent.profile, by);
    else this.#commit({ mode: m }, by);
  }

  setBeerSetpoint(c: number, by = SOMEONE): void {
    const value = checkBeerSetpoint(c);
    this.#assertRunning();
    this.#commit({ beerSetpointC: value }, by);
  }

  setChamberSetpoint(c: number, by = SOMEONE): void {
    const value = checkChamberSetpoint(c);
    this.#assertRunning();
    this.#commit({ chamberSetpointC: value }, by);
  }

  /**
   * Runs the profile from its first step now, or from `fromStep` (from 0); `steps` replace the configured ones
   * until `cobrew state reset`.
   */
  startProfile(steps?: readonly ProfileStep[], by = SOMEONE, fromStep = 0): void {
    const next = steps === undefined ? this.#intent.profile : checkProfileSteps(steps);
    const from = checkFromStep(fromStep);
    this.#assertRunning();
    if (next.length > 0 && from >= next.length) throw new NoSuchStepError(this.id, from, next.length);
    this.#startProfile(next, by, from);
  }

  // Operations on the running profile: each is stored with the profile's progress before it returns, so a
  // held step stays held and an extension stays through a restart.

  /** Ends the running step now; the next starts from where the target had got to. */
  skipStep(by = SOMEONE): void {
    this.#operate(by, (r, now) => r.skipStep(now));
  }

  /** Pauses the running step's clock: its target stands still and it does not end until resumeStep(). */
  holdStep(by = SOMEONE): void {
    this.#operate(by, (r, now) => r.hold(now));
  }

  resumeStep(by = SOMEONE): void {
    this.#operate(by, (r, now) => r.resume(now));
  }

  /** Adds `hours` to the running step. */
  extendStep(hours: number, by = SOMEONE): void {
    const h = checkExtendHours(hours);
    this.#operate(by, (r, now) => r.extend(h * 3_600_000, now));
  }

  /** Replaces the steps after the running one; the running step goes on as it is. */
  replaceNextSteps(steps: readonly ProfileStep[], by = SOMEONE): void {
    const next = checkNextSteps(steps);
    this.#operate(by, (r, now) => {
      // The whole profile stays within the limits of one.
      checkProfileSteps([...r.steps.slice(0, r.stepIndex + 1), ...next]);
      r.replaceNext(next, now);
    });
  }

  /** Leaves the profile for beer mode, holding the beer where the profile had got to. */
  stopProfile(by = SOMEONE): void {
    this.#assertRunning();
    if (this.#intent.mode !== 'profile') return;
    const hold = this.#profileTargetC === null ? {} : { beerSetpointC: this.#holdable(this.#profileTargetC) };
    this.#commit({ mode: 'beer', progress: null, ...hold }, by);
    this.#runner = null;
  }

  /**
   * A person clears the latched trips and alarms and gets their codes back. Throws COBREW_ERR_TRIP_PERSISTS,
   * naming each condition still present, and clears nothing then.
   */
  clearTrip(by: string): SafetyCode[] {
    this.#assertRunning();
    return this.guard.clear(by);
  }

  /**
   * Everything off now, whatever the timers say: used on shutdown and when the host is going away. Commands
   * are refused from here on, so nobody is told a change was made to a fermenter that no longer runs.
   */
  safeStop(reason: string): void {
    this.guard.forceSafe(reason);
    this.#applied = { heat: false, cool: false };
    this.#stopped ??= reason;
  }

  /** The stored intent, as it stands. */
  intent(): ControlIntent {
    return structuredClone(this.#intent);
  }

  settings(): Record<string, unknown> {
    return {
      mode: this.#intent.mode,
      beerSetpointC: this.#intent.beerSetpointC,
      chamberSetpointC: this.#intent.chamberSetpointC,
      profile: this.#intent.profile,
      control: this.config.control,
      safety: this.config.safety,
    };
  }

  #target(now: number, readings: CheckedReadings): ControlTarget {
    this.#profileStep = null;
    this.#profileView = null;
    const intent = this.#intent;
    switch (intent.mode) {
      case 'off':
        return { mode: 'off' };
      case 'chamber':
        return { mode: 'chamber', chamberC: intent.chamberSetpointC };
      case 'beer':
        return { mode: 'beer', beerC: intent.beerSetpointC, slopeCPerS: 0 };
      case 'profile': {
        // A ramp first step starts from where the beer is; until it is known, hold the setpoint.
        const runner = this.#runnerFor(readings.beer);
        if (runner === null) return { mode: 'beer', beerC: intent.beerSetpointC, slopeCPerS: 0 };
        const p = runner.at(now, this.#fresh(now));
        this.#storeProgress(runner);
        this.#profileTargetC = p.beerC;
        this.#profileStep = p.done ? null : p.stepIndex;
        this.#profileView = p.done ? null : runner.view(now);
        return {
          mode: 'beer',
          beerC: p.beerC,
          slopeCPerS: p.slopeCPerS,
          profile: true,
          ahead: (leadS) => runner.ahead(now, leadS),
        };
      }
    }
  }

  /** A hydrometer reading for this fermenter (from an iSpindel mapped to it). */
  reportHydrometer(reading: { gravity: number; at: number; batteryV?: number }): void {
    this.#hydrometer = { gravity: reading.gravity, at: reading.at, batteryV: reading.batteryV ?? null };
  }

  /** The hydrometer's reading while it is recent enough to trust. */
  #fresh(now: number): (GravitySample & { batteryV: number | null }) | null {
    const h = this.#hydrometer;
    return h !== null && now - h.at <= HYDROMETER_STALE_MS ? h : null;
  }

  #startProfile(steps: readonly ProfileStep[], by: string, fromStep = 0): void {
    if (steps.length === 0) throw new NoProfileError(this.id);
    const profile = structuredClone(steps) as ProfileStep[];
    const start = { profileStartAt: this.clock.now(), profileStartStep: fromStep, progress: null };
    this.#commit({ mode: 'profile', profile, ...start }, by);
    this.#runner = null;
    this.#profileTargetC = null;
  }

  /** The profile's runner: from the stored progress, or started at the first beer reading; null until then. */
  #runnerFor(beerC: number | null): ProfileRunner | null {
    const intent = this.#intent;
    if (this.#runner !== null) return this.#runner;
    if (intent.progress !== null) {
      // On the wall clock, as if it had run through the outage: steps whose time is up are over.
      this.#runner = ProfileRunner.resume(intent.profile, intent.progress);
    } else if (beerC !== null) {
      const from = intent.profileStartStep ?? 0;
      this.#runner = new ProfileRunner(intent.profile, intent.profileStartAt, beerC, from);
    }
    return this.#runner;
  }

  /**
   * Applies a person's operation to the running profile, on a copy brought up to now, and stores the result
   * before it takes effect: refused (COBREW_ERR_PROFILE_NOT_RUNNING) when no step runs, unchanged when the
   * store or the operation throws.
   */
  #operate(by: string, op: (runner: ProfileRunner, now: number) => void): void {
    this.#assertRunning();
    const now = this.clock.now();
    const intent = this.#intent;
    if (intent.mode !== 'profile') throw new ProfileNotRunningError(this.id, `it is in ${intent.mode} mode`);
    const current = this.#runnerFor(this.latest()?.beerC ?? null);
    if (current === null) throw new ProfileNotRunningError(this.id, 'it waits for its first beer reading');
    current.at(now, this.#fresh(now));
    const runner = ProfileRunner.resume(current.steps, current.progress());
    if (runner.at(now).done) throw new ProfileNotRunningError(this.id, 'its profile has finished');
    op(runner, now);
    this.#commit({ profile: [...runner.steps], progress: runner.progress() }, by);
    this.#runner = runner;
    this.#storedProgress = { step: runner.stepIndex, gravityAt: runner.gravityAt };
  }

  /** Stores the change first; when the store refuses, nothing changes and the command throws. */
  #commit(change: Partial<ControlIntent>, by: string): void {
    const next: ControlIntent = { ...this.#intent, ...change, changedBy: by, changedAt: this.clock.now() };
    this.#memory?.saveIntent(next);
    this.#intent = next;
  }

  /** Keeps the profile's progress whenever a step starts or a gravity reading joins its conditions. */
  #storeProgress(runner: ProfileRunner): void {
    const { stepIndex, gravityAt } = runner;
    const last = this.#storedProgress;
    if (stepIndex === last.step && Object.is(gravityAt, last.gravityAt)) return;
    const next: ControlIntent = { ...this.#intent, progress: runner.progress() };
    this.#memory?.saveIntent(next);
    this.#intent = next;
    this.#storedProgress = { step: stepIndex, gravityAt };
  }

  /** cobrew was not running from `since` until now: an alarm incident, on the chart and in the journal. */
  #recordOutage(since: LastSeen, readings: CheckedReadings): void {
    this.#outageSince = null;
    const now = this.clock.now();
    const t = (c: number | null) => (c === null ? 'unknown' : degC(c));
    const iso = (ms: number) => new Date(ms).toISOString();
    const profile = this.#intent.mode === 'profile' ? ' The profile carried on by the clock.' : '';
    const text =
      `cobrew was not controlling this fermenter from ${iso(since.at)} to ${iso(now)} ` +
      `(${duration(now - since.at)}). Beer ${t(since.beerC)} before, ${t(readings.beer)} after; ` +
      `chamber ${t(since.chamberC)} before, ${t(readings.chamber)} after.${profile}`;
    this.guard.note(CODES.outage, text, {
      from: since.at,
      to: now,
      before: { beerC: since.beerC, chamberC: since.chamberC },
      after: { beerC: readings.beer, chamberC: readings.chamber },
    });
  }

  /** A ramp may start from a beer reading outside the setpoint limits; the hold stays within them. */
  #holdable(c: number): number {
    const { minimum = c, maximum = c } = BeerSetpointValue;
    return Math.min(maximum, Math.max(minimum, c));
  }

  #assertRunning(): void {
    if (this.#stopped !== null) throw new FermenterStoppedError(this.id, this.#stopped);
  }
}
