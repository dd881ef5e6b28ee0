// A safety guard on a manual clock with a recording output port: the only fake is the port itself.
import { ManualClock } from '../../../common/clock.js';
import { schemaChecker } from '../../../common/schema-check.js';
import { type SafetyConfig, SafetySchema } from '../../../firmware-bridge/config-schema.js';
import { SafetyGuard } from '../../../firmware-bridge/safety/guard.js';
import type {
  CheckedReadings,
  Incident,
  OutputPort,
  Outputs,
  Probe,
  SafetyStatus,
  SensorFrame,
  SensorSample,
} from '../../../firmware-bridge/types.js';

const checkSafety = schemaChecker(SafetySchema, 'Safety settings');

/** Safety settings from the schema's defaults plus `overrides`. */
export function safetyConfig(overrides: Record<string, unknown> = {}): SafetyConfig {
  return checkSafety(structuredClone(overrides));
}

/** No timing constraints, for rules that have nothing to do with timing. */
export const UNTIMED = {
  heat: { minOnS: 0, minOffS: 0, maxOnS: 24 * 3600 },
  cool: { minOnS: 0, minOffS: 0, maxOnS: 24 * 3600 },
  interlockDeadS: 0,
};

export class RecordingPort implements OutputPort {
  readonly writes: Outputs[] = [];
  write(outputs: Outputs): void {
    this.writes.push({ ...outputs });
  }
  get last(): Outputs | undefined {
    return this.writes.at(-1);
  }
}

export const OFF: Outputs = { heat: false, cool: false };
export const HEAT: Outputs = { heat: true, cool: false };
export const COOL: Outputs = { heat: false, cool: true };

export interface RigOptions {
  safety?: Record<string, unknown>;
  mount?: 'chamber' | 'vessel';
  enabled?: Outputs;
}

/**
 * One fermenter's guard. Set `beer`, `chamber`, `ambient` to what the probes read (null: the probe does
 * not answer); `frozen` probes keep repeating their last sample with its old timestamp.
 */
export class Rig {
  readonly clock = new ManualClock();
  readonly port = new RecordingPort();
  readonly guard: SafetyGuard;
  readonly incidents: Incident[] = [];
  readonly statuses: SafetyStatus[] = [];
  readonly safety: SafetyConfig;
  beer: number | null = 18;
  chamber: number | null = 18;
  ambient: number | null = 20;
  readonly frozen = new Set<Probe>();
  /** Report the beer probe's value as the chamber's and the other way round. */
  swapped = false;
  /** A crude fridge driving the readings when on (see `#step`). */
  #physics: { beer: number; chamber: number } | null = null;
  readonly #mount: 'chamber' | 'vessel';
  readonly #last: Record<Probe, SensorSample | null> = { beer: null, chamber: null, ambient: null };
  readings: CheckedReadings | undefined;
  applied: Outputs = OFF;

  constructor(opts: RigOptions = {}) {
    this.safety = safetyConfig(opts.safety);
    this.#mount = opts.mount ?? 'chamber';
    this.guard = new SafetyGuard({
      fermenterId: 'f1',
      safety: this.safety,
      heaterMount: opts.mount ?? 'chamber',
      ...(opts.enabled && { enabled: opts.enabled }),
      port: this.port,
      clock: this.clock,
      settings: () => ({ mode: 'beer', beerSetpointC: 18 }),
    });
    this.guard.on('incident', (i) => this.incidents.push(i));
    this.guard.on('status', (s) => this.statuses.push(s));
  }

  frame(): SensorFrame {
    const at = this.clock.now();
    const sample = (p: Probe): SensorSample | null => {
      if (this.frozen.has(p)) return this.#last[p];
      const value = this.swapped && p !== 'ambient' ? this[p === 'beer' ? 'chamber' : 'beer'] : this[p];
      const s = value === null ? null : { value, at };
      this.#last[p] = s;
      return s;
    };
    return { at, beer: sample('beer'), chamber: sample('chamber'), ambient: sample('ambient') };
  }

  /**
   * Let a crude fridge drive beer and chamber from here on: the chamber heads for −5 °C while cooling and
   * 35 °C while a chamber heater runs (time constant 10 min), else drifts to between beer and room; the beer
   * follows the chamber (4 h) and a vessel heater warms it directly. Readings are quantised like a DS18B20.
   */
  physics(): this {
    this.#physics = { beer: this.beer ?? 18, chamber: this.chamber ?? 18 };
    return this;
  }

  /** Move the simulated chamber air at once, as an opened door does. */
  nudgeChamber(deltaC: number): void {
    if (this.#physics) this.#physics.chamber += deltaC;
  }

  #step(dtS: number): void {
    const w = this.#physics;
    if (w === null) return;
    const room = this.ambient ?? 20;
    const heatsAir = this.applied.heat && this.#mount === 'chamber';
    const target = this.applied.cool ? -5 : heatsAir ? 35 : (w.beer + room) / 2;
    const tau = this.applied.cool || heatsAir ? 600 : 1200;
    w.chamber += (target - w.chamber) * (1 - Math.exp(-dtS / tau));
    w.beer += ((w.chamber - w.beer) * dtS) / (4 * 3600);
    if (this.applied.heat && this.#mount === 'vessel') w.beer += 0.001 * dtS;
    this.beer = Math.floor(w.beer * 16) / 16;
    this.chamber = Math.floor(w.chamber * 16) / 16;
  }

  /** Advance the clock one tick, then check → apply as the runtime does. */
  tick(request: Outputs = OFF, ms = 1000): Outputs {
    this.clock.advance(ms);
    this.#step(ms / 1000);
    this.readings = this.guard.check(this.frame());
    this.applied = this.guard.apply(request);
    return this.applied;
  }

  /** `seconds` one-second ticks; `before` may change the probe values (t: seconds into this run). */
  run(
    seconds: number,
    request: Outputs | ((t: number) => Outputs) = OFF,
    before?: (t: number) => void,
  ): Outputs {
    for (let t = 1; t <= seconds; t++) {
      before?.(t);
      this.tick(typeof request === 'function' ? request(t) : request);
    }
    return this.applied;
  }

  /** Seconds of one-second ticks until `until` holds, at most `limitS`; -1 if it never did. */
  runUntil(
    limitS: number,
    request: Outputs | ((t: number) => Outputs),
    until: () => boolean,
    before?: (t: number) => void,
  ): number {
    for (let t = 1; t <= limitS; t++) {
      before?.(t);
      this.tick(typeof request === 'function' ? request(t) : request);
      if (until()) return t;
    }
    return -1;
  }

  codes(severity?: Incident['severity']): string[] {
    return this.incidents.filter((i) => severity === undefined || i.severity === severity).map((i) => i.code);
  }

  tripped(): boolean {
    return this.guard.status().status === 'tripped';
  }

  /** Whether any write ever had heat and cool on together. */
  everBoth(): boolean {
    return this.port.writes.some((w) => w.heat && w.cool);
  }
}

/** The error clear() threw, for assertions on its code and conditions. */
export function clearError(rig: Rig): { code: string; conditions: string[]; message: string } {
  try {
    rig.guard.clear('tester');
  } catch (e) {
    return e as { code: string; conditions: string[]; message: string };
  }
  throw new Error('clear() did not throw');
}
