// The default board: a fermenter in a fridge with three DS18B20 probes, simulated lazily from an injected
// clock so weeks of fermentation run in seconds and every run is reproducible from its seed.
import type { Clock } from '../../common/clock.js';
import type { BoardConfig, SimBoardConfig } from '../config-schema.js';
import type { Board, OutputPort, Outputs, Probe, SensorFrame, SensorSample } from '../types.js';
import { type AmbientFn, dailyAmbient } from './ambient.js';
import { Ds18b20Bank } from './ds18b20.js';
import { assertFaultKind, checkSimFault, FaultState, type SimFault, type SimFaultKind } from './faults.js';
import { Physics } from './physics.js';

export type { AmbientFn } from './ambient.js';
export { SIM_FAULT_KINDS, type SimFault, type SimFaultKind, UnknownFaultError } from './faults.js';
export type { Physics } from './physics.js';

/** Fixed integration step; the physics is stable far beyond it (fastest node: ~90 s). */
const STEP_MS = 1000;

export interface SimBoardOptions {
  /** Room temperature at clock time t (epoch ms), replacing the configured daily sinusoid. */
  ambient?: AmbientFn;
}

/** The simulator's physical state, for benchmarks and tests: what no real board could tell you. */
export interface SimTruth {
  beerC: number;
  chamberC: number;
  wallC: number;
  evaporatorC: number;
  ambientC: number;
  gravity: number;
  fermentationW: number;
  /** Physical relay state: what was written, plus any welded contacts. */
  relays: Outputs;
  /** Electrical energy used so far, Wh. */
  energyWh: { heat: number; cool: number };
}

export class SimBoard implements Board {
  readonly kind = 'sim';
  readonly outputs: OutputPort;
  readonly #clock: Clock;
  readonly #ambient: AmbientFn;
  readonly #physics: Physics;
  readonly #probes: Ds18b20Bank;
  readonly #faults = new FaultState();
  /** Clock time the physics has been integrated up to. */
  #t: number;
  #written: Outputs = { heat: false, cool: false };
  /** Scripted faults from the configuration, soonest last so the next one pops off the end. */
  readonly #script: Array<{ at: number; inject?: SimFault; clear?: SimFaultKind }>;

  /** Takes a fermenter's `board` as configured; only a `sim` one can be simulated. */
  constructor(board: BoardConfig, clock: Clock, options: SimBoardOptions = {}) {
    const cfg = simOnly(board);
    this.#clock = clock;
    this.#t = clock.now();
    this.#ambient = options.ambient ?? dailyAmbient(cfg.ambientMeanC, cfg.ambientSwingC);
    this.#physics = new Physics(cfg, this.#t);
    this.#script = cfg.faults
      .flatMap(({ afterH, forH, fault }) => {
        const at = this.#t + afterH * 3_600_000;
        const f = checkSimFault(fault);
        return forH === undefined
          ? [{ at, inject: f }]
          : [
              { at, inject: f },
              { at: at + forH * 3_600_000, clear: f.kind },
            ];
      })
      .sort((a, b) => b.at - a.at);
    const p = this.#physics;
    this.#probes = new Ds18b20Bank(
      this.#t,
      p.beerC,
      p.chamberC,
      this.#ambient(this.#t),
      cfg.sensorNoiseC,
      cfg.seed,
    );
    this.outputs = {
      write: (o: Outputs) => {
        // The old outputs held until now; the new ones act from now on.
        this.#advance();
        this.#written = { heat: o.heat === true, cool: o.cool === true };
      },
    };
  }

  read(): SensorFrame {
    this.#advance();
    const at = this.#probes.finishedAt();
    return {
      at: this.#t,
      beer: this.#sample('beer', at),
      chamber: this.#sample('chamber', at),
      ambient: this.#sample('ambient', at),
    };
  }

  inject(fault: SimFault): void {
    const f = checkSimFault(fault);
    this.#advance();
    this.#faults.add(f, this.#frozenFor(f));
    this.#physics.configure(this.#faults);
  }

  /** Clear every fault of one kind, or all faults. */
  clear(kind?: SimFaultKind): void {
    if (kind !== undefined) assertFaultKind(kind);
    this.#advance();
    this.#faults.remove(kind);
    this.#physics.configure(this.#faults);
  }

  activeFaults(): SimFault[] {
    this.#advance();
    return this.#faults.list();
  }

  truth(): SimTruth {
    this.#advance();
    const p = this.#physics;
    return {
      beerC: p.beerC,
      chamberC: p.chamberC,
      wallC: p.wallC,
      evaporatorC: p.evaporatorC,
      ambientC: this.#ambient(this.#t) + this.#faults.heatwaveC,
      gravity: p.gravity(),
      fermentationW: p.fermentationW(this.#t),
      relays: this.#relays(),
      energyWh: { heat: p.heatJ / 3600, cool: p.coolJ / 3600 },
    };
  }

  /** A copy of the physics as it stands now, to play out "what if" (the benchmark's flat-out limit). */
  physicsNow(): Physics {
    this.#advance();
    return this.#physics.clone();
  }

  #relays(): Outputs {
    const welded = this.#faults.welded;
    return { heat: this.#written.heat || welded.heat, cool: this.#written.cool || welded.cool };
  }

  #sample(slot: Probe, at: number): SensorSample {
    const probe = this.#faults.wiredTo(slot);
    return { value: this.#faults.override(probe) ?? this.#probes.value(probe), at };
  }

  /** Integrate up to now, acting out scripted faults at their exact times on the way. */
  #advance(): void {
    const now = this.#clock.now();
    for (let next = this.#script.at(-1); next !== undefined && next.at <= now; next = this.#script.at(-1)) {
      this.#script.pop();
      this.#integrate(next.at);
      if (next.inject) this.#faults.add(next.inject, this.#frozenFor(next.inject));
      else this.#faults.remove(next.clear);
      this.#physics.configure(this.#faults);
    }
    this.#integrate(now);
  }

  #frozenFor(f: SimFault): number | undefined {
    return f.kind === 'sensor-stuck' ? this.#probes.value(f.probe) : undefined;
  }

  /** Integrate from the last integration time to `now` in 1 s steps, the last one partial. */
  #integrate(now: number): void {
    let t = this.#t;
    if (!(now > t)) return;
    const physics = this.#physics;
    const probes = this.#probes;
    const ambient = this.#ambient;
    const heatwaveC = this.#faults.heatwaveC;
    const { heat, cool } = this.#relays();
    while (t < now) {
      const end = Math.min(t + STEP_MS, now);
      const dt = (end - t) / 1000;
      const roomC = ambient(t) + heatwaveC;
      probes.step(t, end, dt, physics.beerC, physics.chamberC, roomC);
      physics.step(t, dt, roomC, heat, cool);
      t = end;
    }
    this.#t = now;
  }
}

function simOnly(board: BoardConfig): SimBoardConfig {
  if (board.type !== 'sim') throw new TypeError(`SimBoard simulates a sim board, not a ${board.type} board`);
  return board;
}
