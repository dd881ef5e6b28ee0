// Runs every configured fermenter on simulated time that follows a (possibly accelerated) wall clock.
// Ticks are stepped one control period at a time on a ManualClock, so `--speed 600` is exactly the same
// control as real time, only sooner. Real boards are built by the driver factory (after their rating check)
// and opened by `open()`; a board that cannot be opened leaves its fermenter safe while the others run.

import { type Clock, ManualClock } from '../common/clock.js';
import { loadDeviations } from './boards/loads.js';
import { type BoardLogEntry, BoardSession } from './boards/session.js';
import type { FermenterCommands } from './commands.js';
import type { FermenterConfig } from './config-schema.js';
import { brewPiController, followTrips } from './drivers/brewpi/attach.js';
import { BrewPiDriver } from './drivers/brewpi/brewpi-driver.js';
import { createBoard, type DriverContext } from './drivers/factory.js';
import { systemTimers, type Timers } from './drivers/serial/timers.js';
import { Fermenter } from './fermenter.js';
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
  /** Opens every real board; resolves once each is open or has failed once (it is then retried). Never rejects. */
  open(): Promise<void>;
  start(): void;
  /** Outputs to the safe state first, then stop ticking and close the boards. */
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
  /** What real boards did (identified, lost, refused, failsafe…), for the journal. */
  onBoardLog?: (entry: BoardLogEntry) => void;
  /** Timers for the tick pump and board retries; tests pass ManualTimers. */
  timers?: Timers;
  /** How drivers open their ports (tests: a SerialPortMock). */
  openPort?: DriverContext['openPort'];
  /** Wait before retrying a board that could not be opened. */
  openRetryMs?: number;
}

/** Builds every fermenter; throws COBREW_ERR_BOARD_RATING (before opening anything) for a board it would burn. */
export function createFleet(opts: FleetOptions): Fleet {
  const timers = opts.timers ?? systemTimers;
  const sim = new ManualClock(opts.clock.now());
  const sessions: BoardSession[] = [];
  const ctx: DriverContext = {
    simClock: sim,
    clock: opts.clock,
    timers,
    ...(opts.openPort === undefined ? {} : { openPort: opts.openPort }),
  };
  const built = opts.fermenters.map((cfg) => ({ cfg, built: createBoard(cfg, ctx) }));
  const fermenters = built.map(({ cfg, built: b }) => {
    if (b.kind === 'sim' || cfg.board.type === 'sim') return new Fermenter(cfg, b.board, sim);
    const session = new BoardSession(cfg.id, cfg.board, b.board, {
      clock: opts.clock,
      timers,
      log: (e) => opts.onBoardLog?.(e),
      loadDeviations: loadDeviations(cfg),
      ...(opts.openRetryMs === undefined ? {} : { retryMs: opts.openRetryMs }),
    });
    // A BrewPi board runs its own control loop: cobrew forwards its target and puts it in mode off on a trip.
    const brewpi = b.board instanceof BrewPiDriver ? b.board : null;
    const f = new Fermenter(cfg, b.board, sim, {
      boardSummary: session.summary,
      ...(brewpi === null ? {} : { controller: brewPiController(brewpi) }),
    });
    if (brewpi !== null) followTrips(f, brewpi);
    session.attach(f);
    sessions.push(session);
    return f;
  });
  const next = new Map(fermenters.map((f) => [f, sim.now()]));
  const failed = new Set<Fermenter>();
  let cancelPump: (() => void) | undefined;

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

  const loop = () => {
    cancelPump = timers.after(PUMP_MS, loop);
    pump();
  };

  let stopping: Promise<void> | undefined;
  return {
    fermenters,
    async open() {
      await Promise.all(sessions.map((s) => s.open()));
    },
    start() {
      if (cancelPump || stopping) return;
      pump();
      cancelPump = timers.after(PUMP_MS, loop);
    },
    stop() {
      stopping ??= (async () => {
        for (const f of fermenters) f.safeStop('shutdown');
        cancelPump?.();
        cancelPump = undefined;
        // Each driver switches its board's outputs off and waits for the board to say so before letting go.
        const closed = await Promise.allSettled(sessions.map((s) => s.close()));
        const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
        if (failed) throw failed.reason;
      })();
      return stopping;
    },
  };
}
