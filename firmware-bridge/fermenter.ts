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
  checkMode,
  checkProfileSteps,
  FermenterStoppedError,
  NoProfileError,
} from './commands.js';
import type { FermenterConfig } from './config-schema.js';
import { CascadeController } from './control/cascade.js';
import { type GravitySample, ProfileRunner, type ProfileStep } from './control/profile-runner.js';
import { SafetyGuard } from './safety/guard.js';
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
}

/** cobrew's own controller, set up from a fermenter's configuration. */
export function cascadeFor(config: FermenterConfig): (limits: TimingLimits) => Controller {
  return (limits) =>
    new CascadeController(limits, {
      chamberMinC: config.control.chamberMinC,
      chamberMaxC: config.control.chamberMaxC,
      heaterMount: config.board.heaterMount,
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
  readonly controller: Controller;
  #mode: ControlMode;
  #beerSetpoint: number;
  #chamberSetpoint: number;
  #profile: readonly ProfileStep[];
  #profileStartAt: number;
  /** Created at the first beer reading after the profile starts: a leading ramp starts from it. */
  #runner: ProfileRunner | null = null;
  /** The latest hydrometer reading (iSpindel): gravity joins the state, and profile steps may end on it. */
  #hydrometer: (GravitySample & { batteryV: number | null }) | null = null;
  /** The profile's beer target at the last tick, where stopProfile() holds the beer. */
  #profileTargetC: number | null = null;
  /** The profile step the last tick ran, for the state; null when none ran. */
  #profileStep: number | null = null;
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
    this.#mode = config.control.mode;
    this.#beerSetpoint = config.control.beerSetpointC;
    this.#chamberSetpoint = config.control.chamberSetpointC;
    this.#profile = config.control.profile;
    this.#profileStartAt = clock.now();
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
    });
    this.guard.on('incident', (incident) => this.emit('incident', incident));
    const limits = this.guard.timing();
    this.controller = (options.controller ?? cascadeFor(config))(limits);
  }

  /** Run one control tick at the clock's current time and return the resulting state. */
  tick(): FermenterState {
    const now = this.clock.now();
    const readings = this.guard.check(calibrate(this.board.read(), this.config.sensors));
    const target = this.#target(now, readings);
    const out = this.controller.step({ now, readings, target, applied: this.#applied });
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
      mode: this.#mode,
      beerSetpointC: target.mode === 'beer' ? target.beerC : null,
      chamberSetpointC: out.chamberTargetC,
      outputs: this.#applied,
      controllerState: safety.status === 'tripped' ? 'tripped' : out.state,
      safety,
      gravity: hydrometer?.gravity ?? null,
      hydrometerBatteryV: hydrometer?.batteryV ?? null,
      profileStep: this.#profileStep,
      board: this.#boardSummary(),
    };
    this.#latest = state;
    this.emit('state', state);
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

  /** Switching to profile starts the profile from its first step, unless it is already running. */
  setMode(mode: ControlMode): void {
    const m = checkMode(mode);
    this.#assertRunning();
    if (m === this.#mode) return;
    if (m === 'profile') this.#startProfile(this.#profile);
    else this.#mode = m;
  }

  setBeerSetpoint(c: number): void {
    const value = checkBeerSetpoint(c);
    this.#assertRunning();
    this.#beerSetpoint = value;
  }

  setChamberSetpoint(c: number): void {
    const value = checkChamberSetpoint(c);
    this.#assertRunning();
    this.#chamberSetpoint = value;
  }

  /** Runs the profile from its first step now; `steps` replace the configured ones until a restart. */
  startProfile(steps?: readonly ProfileStep[]): void {
    const next = steps === undefined ? this.#profile : checkProfileSteps(steps);
    this.#assertRunning();
    this.#startProfile(next);
  }

  /** Leaves the profile for beer mode, holding the beer where the profile had got to. */
  stopProfile(): void {
    this.#assertRunning();
    if (this.#mode !== 'profile') return;
    if (this.#profileTargetC !== null) this.#beerSetpoint = this.#holdable(this.#profileTargetC);
    this.#mode = 'beer';
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

  settings(): Record<string, unknown> {
    return {
      mode: this.#mode,
      beerSetpointC: this.#beerSetpoint,
      chamberSetpointC: this.#chamberSetpoint,
      profile: this.#profile,
      control: this.config.control,
      safety: this.config.safety,
    };
  }

  #target(now: number, readings: CheckedReadings): ControlTarget {
    this.#profileStep = null;
    switch (this.#mode) {
      case 'off':
        return { mode: 'off' };
      case 'chamber':
        return { mode: 'chamber', chamberC: this.#chamberSetpoint };
      case 'beer':
        return { mode: 'beer', beerC: this.#beerSetpoint, slopeCPerS: 0 };
      case 'profile': {
        if (this.#runner === null) {
          // A ramp first step starts from where the beer is; until it is known, hold the setpoint.
          if (readings.beer === null) return { mode: 'beer', beerC: this.#beerSetpoint, slopeCPerS: 0 };
          this.#runner = new ProfileRunner(this.#profile, this.#profileStartAt, readings.beer);
        }
        const p = this.#runner.at(now, this.#fresh(now));
        this.#profileTargetC = p.beerC;
        this.#profileStep = p.done ? null : p.stepIndex;
        return { mode: 'beer', beerC: p.beerC, slopeCPerS: p.slopeCPerS };
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

  #startProfile(steps: readonly ProfileStep[]): void {
    if (steps.length === 0) throw new NoProfileError(this.id);
    this.#profile = steps;
    this.#profileStartAt = this.clock.now();
    this.#runner = null;
    this.#profileTargetC = null;
    this.#mode = 'profile';
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
