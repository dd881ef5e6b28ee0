// One fermenter's control tick: board → safety checks → controller → safety guard → outputs.
// The guard holds the board's output port; nothing here can switch an output except through it.
import { EventEmitter } from 'node:events';
import type { Clock } from './clock.js';
import type { FermenterConfig } from './config-schema.js';
import { CascadeController } from './control/cascade.js';
import { profileAt } from './control/profile.js';
import { SafetyGuard } from './safety/guard.js';
import type {
  Board,
  CheckedReadings,
  Controller,
  ControlMode,
  ControlTarget,
  FermenterState,
  Incident,
  Outputs,
  TimingLimits,
} from './types.js';

export interface FermenterEvents {
  state: [FermenterState];
  incident: [Incident];
}

export interface FermenterOptions {
  /** Replace cobrew's controller (benchmarks compare others on the same path). */
  controller?: (limits: TimingLimits) => Controller;
}

/** cobrew's own controller, set up from a fermenter's configuration. */
export function cascadeFor(config: FermenterConfig): (limits: TimingLimits) => Controller {
  return (limits) =>
    new CascadeController(limits, {
      chamberMinC: config.control.chamberMinC,
      chamberMaxC: config.control.chamberMaxC,
    });
}

export class Fermenter extends EventEmitter<FermenterEvents> {
  readonly id: string;
  readonly name: string;
  readonly guard: SafetyGuard;
  readonly controller: Controller;
  #mode: ControlMode;
  #beerSetpoint: number;
  #chamberSetpoint: number;
  #profileStart: { at: number; beerC: number | null };
  #applied: Outputs = { heat: false, cool: false };
  #latest: FermenterState | null = null;

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
    this.#profileStart = { at: clock.now(), beerC: null };
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
    const readings = this.guard.check(this.board.read());
    const target = this.#target(now, readings);
    const out = this.controller.step({ now, readings, target, applied: this.#applied });
    this.#applied = this.guard.apply(out.request);
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
      controllerState: this.guard.status().status === 'tripped' ? 'tripped' : out.state,
      safety: this.guard.status(),
      gravity: null,
    };
    this.#latest = state;
    this.emit('state', state);
    return state;
  }

  latest(): FermenterState | null {
    return this.#latest;
  }

  /** Everything off now, whatever the timers say: used on shutdown and when the host is going away. */
  safeStop(reason: string): void {
    this.guard.forceSafe(reason);
    this.#applied = { heat: false, cool: false };
  }

  settings(): Record<string, unknown> {
    return {
      mode: this.#mode,
      beerSetpointC: this.#beerSetpoint,
      chamberSetpointC: this.#chamberSetpoint,
      control: this.config.control,
      safety: this.config.safety,
    };
  }

  #target(now: number, readings: CheckedReadings): ControlTarget {
    switch (this.#mode) {
      case 'off':
        return { mode: 'off' };
      case 'chamber':
        return { mode: 'chamber', chamberC: this.#chamberSetpoint };
      case 'beer':
        return { mode: 'beer', beerC: this.#beerSetpoint, slopeCPerS: 0 };
      case 'profile': {
        if (this.#profileStart.beerC === null) {
          // A ramp first step starts from where the beer is; until it is known, hold the setpoint.
          if (readings.beer === null) return { mode: 'beer', beerC: this.#beerSetpoint, slopeCPerS: 0 };
          this.#profileStart.beerC = readings.beer;
        }
        const p = profileAt(
          this.config.control.profile,
          (now - this.#profileStart.at) / 1000,
          this.#profileStart.beerC,
        );
        return { mode: 'beer', beerC: p.beerC, slopeCPerS: p.slopeCPerS };
      }
    }
  }
}
