// A small lumped fridge model for the baseline tests: chamber air between the room, the beer, a heater and a
// compressor whose evaporator keeps pulling heat for a while after it stops (so cooling overshoots).
import type {
  ControlInput,
  Controller,
  ControlOutput,
  ControlTarget,
  Outputs,
} from '../../../firmware-bridge/types.js';

export const T0 = Date.UTC(2026, 0, 1);

export interface PlantOptions {
  roomC: number;
  chamberC: number;
  beerC: number;
  /** Seeded probe noise, standard deviation °C. */
  noiseC: number;
  seed: number;
}

export interface Tick {
  t: number;
  input: ControlInput;
  out: ControlOutput;
  chamberC: number;
  beerC: number;
}

export class FridgePlant {
  chamberC: number;
  beerC: number;
  roomC: number;
  #evaporatorC: number;
  #noiseC: number;
  #rand: number;

  constructor(o: Partial<PlantOptions> = {}) {
    this.roomC = o.roomC ?? 22;
    this.chamberC = o.chamberC ?? this.roomC;
    this.beerC = o.beerC ?? this.roomC;
    this.#evaporatorC = this.chamberC;
    this.#noiseC = o.noiseC ?? 0;
    this.#rand = o.seed ?? 1;
  }

  /** One second of physics under the given outputs. */
  advance(outputs: Outputs): void {
    const evapTarget = outputs.cool ? -10 : this.chamberC;
    this.#evaporatorC += (evapTarget - this.#evaporatorC) / 300;
    const dChamber =
      (this.roomC - this.chamberC) / 3000 +
      (this.beerC - this.chamberC) / 1500 +
      (this.#evaporatorC - this.chamberC) / 2000 +
      (outputs.heat ? 0.005 : 0);
    this.beerC += (this.chamberC - this.beerC) / 7200;
    this.chamberC += dChamber;
  }

  #noise(): number {
    if (this.#noiseC === 0) return 0;
    // xorshift32 + Irwin–Hall: cheap, seeded, roughly normal.
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      this.#rand ^= this.#rand << 13;
      this.#rand ^= this.#rand >>> 17;
      this.#rand ^= this.#rand << 5;
      sum += (this.#rand >>> 0) / 0x1_0000_0000;
    }
    return (sum - 2) * Math.sqrt(3) * this.#noiseC;
  }

  readings(now: number) {
    return {
      at: now,
      beer: this.beerC + this.#noise(),
      chamber: this.chamberC + this.#noise(),
      ambient: this.roomC,
    };
  }
}

/** Runs a controller on the plant at 1 s steps for `seconds`, the target chosen per second. */
export function runClosedLoop(
  controller: Controller,
  plant: FridgePlant,
  seconds: number,
  target: (t: number) => ControlTarget,
  each?: (tick: Tick) => void,
): void {
  let applied: Outputs = { heat: false, cool: false };
  for (let t = 0; t < seconds; t++) {
    const now = T0 + t * 1000;
    const input: ControlInput = { now, readings: plant.readings(now), target: target(t), applied };
    const out = controller.step(input);
    applied = out.request;
    each?.({ t, input, out, chamberC: plant.chamberC, beerC: plant.beerC });
    plant.advance(applied);
  }
}

export const beer = (beerC: number): ControlTarget => ({ mode: 'beer', beerC, slopeCPerS: 0 });
export const chamber = (chamberC: number): ControlTarget => ({ mode: 'chamber', chamberC });

/** A step input with fixed readings. */
export function inputAt(
  t: number,
  target: ControlTarget,
  beerC: number | null,
  chamberC: number | null,
): ControlInput {
  const now = T0 + t * 1000;
  return {
    now,
    readings: { at: now, beer: beerC, chamber: chamberC, ambient: 20 },
    target,
    applied: { heat: false, cool: false },
  };
}

/** On and off intervals of one output over a run, in seconds; the first and last open intervals are dropped. */
export function runLengths(history: readonly boolean[]): { on: number[]; off: number[] } {
  const on: number[] = [];
  const off: number[] = [];
  let start = 0;
  for (let t = 1; t <= history.length; t++) {
    if (t === history.length || history[t] !== history[t - 1]) {
      if (start > 0 && t < history.length) (history[start] ? on : off).push(t - start);
      start = t;
    }
  }
  return { on, off };
}
