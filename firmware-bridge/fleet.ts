// Runs every configured fermenter on simulated time that follows a (possibly accelerated) wall clock.
// Ticks are stepped one control period at a time on a ManualClock, so `--speed 600` is exactly the same
// control as real time, only sooner.
import { type Clock, ManualClock } from './clock.js';
import type { FermenterCommands } from './commands.js';
import type { FermenterConfig } from './config-schema.js';
import { Fermenter } from './fermenter.js';
import { SimBoard } from './sim/sim-board.js';
import type { FermenterState, Incident } from './types.js';

/** One running fermenter as the rest of the application sees it: its states, and the commands it takes. */
export interface FermenterHandle extends FermenterCommands {
  readonly id: string;
  readonly name: string;
  /** What drives its probes and relays, e.g. `sim`. */
  readonly boardKind: string;
  latest(): FermenterState | null;
  on(event: 'state', cb: (s: FermenterState) => void): void;
  on(event: 'incident', cb: (i: Incident) => void): void;
  /** A hydrometer reading (an iSpindel's), on this fermenter's clock; it joins the state while recent. */
  reportHydrometer(reading: { gravity: number; at: number; batteryV?: number }): void;
}

export interface Fleet {
  readonly fermenters: readonly FermenterHandle[];
  start(): void;
  /** Outputs to the safe state first, then stop ticking. */
  stop(): Promise<void>;
}

/** Wall-clock period of the loop that catches simulated time up with the clock. */
const PUMP_MS = 50;
/** Ticks run per pump at most, so an overloaded host falls behind rather than freezing. */
const MAX_TICKS_PER_PUMP = 20_000;

export interface FleetOptions {
  fermenters: FermenterConfig[];
  clock: Clock;
  /** Called when a fermenter's tick throws: the fermenter is made safe and stays stopped. */
  onError?: (fermenterId: string, error: unknown) => void;
}

export function createFleet(opts: FleetOptions): Fleet {
  const sim = new ManualClock(opts.clock.now());
  const fermenters = opts.fermenters.map((cfg) => new Fermenter(cfg, new SimBoard(cfg.board, sim), sim));
  const next = new Map(fermenters.map((f) => [f, sim.now()]));
  const failed = new Set<Fermenter>();
  let timer: NodeJS.Timeout | undefined;

  const tickDue = () => {
    for (const f of fermenters) {
      if (failed.has(f) || (next.get(f) as number) > sim.now()) continue;
      try {
        f.tick();
      } catch (error) {
        failed.add(f);
        f.safeStop('control tick failed');
        opts.onError?.(f.id, error);
      }
      next.set(f, (next.get(f) as number) + f.config.control.tickMs);
    }
  };

  const pump = () => {
    const until = opts.clock.now();
    for (let i = 0; i < MAX_TICKS_PER_PUMP; i++) {
      let soonest = Number.POSITIVE_INFINITY;
      for (const f of fermenters) if (!failed.has(f)) soonest = Math.min(soonest, next.get(f) as number);
      if (soonest > until) break;
      if (soonest > sim.now()) sim.set(soonest);
      tickDue();
    }
  };

  return {
    fermenters,
    start() {
      if (timer) return;
      pump();
      timer = setInterval(pump, PUMP_MS);
    },
    async stop() {
      for (const f of fermenters) f.safeStop('shutdown');
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
