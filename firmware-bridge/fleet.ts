// Runs every configured fermenter on simulated time that follows a (possibly accelerated) wall clock.
// Ticks are stepped one control period at a time on a ManualClock, so `--speed 600` is exactly the same
// control as real time, only sooner. Real boards are built by the driver factory (after their rating check)
// and opened by `open()`; a board that cannot be opened leaves its fermenter safe while the others run.
// A fermenter whose tick or board events throw is made safe at once and its control restarted after a
// growing wait; the others never notice. Only a fermenter whose outputs cannot be made safe ends the process.

import { type Clock, ManualClock, ScaledClock } from '../common/clock.js';
import { loadDeviations } from './boards/loads.js';
import { type BoardLogEntry, BoardSession } from './boards/session.js';
import type { FermenterCommands } from './commands.js';
import type { FermenterConfig } from './config-schema.js';
import { brewPiController, followTrips } from './drivers/brewpi/attach.js';
import { BrewPiDriver } from './drivers/brewpi/brewpi-driver.js';
import { createBoard, type DriverContext } from './drivers/factory.js';
import { systemTimers, type Timers } from './drivers/serial/timers.js';
import { OutputsUnsafeError } from './errors.js';
import { Fermenter } from './fermenter.js';
import { duration } from './safety/format.js';
import type { ControlStateStore } from './state/control-state.js';
import type { ResumeNote } from './state/resume.js';
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
  /** Control ticks run so far, every fermenter counted: it stands still when the control loop does. */
  ticks(): number;
  /** Outputs to the safe state first, then stop ticking and close the boards. */
  stop(): Promise<void>;
}

/** Wall-clock period of the loop that catches simulated time up with the clock. */
const PUMP_MS = 50;
/**
 * Wall milliseconds the pump sleeps before its next round. In (near) real time it sleeps until the next tick is
 * due, so a reading is taken and published at the time it is stamped with, and an idle loop wakes once a tick
 * rather than every pump (at most a wall tick period, should the clock be set back meanwhile); a simulation
 * fast enough to tick more than once a pump is caught up a pump at a time instead.
 */
export function pumpWaitMs(untilDueMs: number, speed: number, shortestTickMs: number): number {
  const tickWallMs = shortestTickMs / speed;
  if (tickWallMs < PUMP_MS) return PUMP_MS;
  return Math.min(Math.ceil(tickWallMs), Math.max(1, Math.ceil(untilDueMs / speed)));
}
/**
 * Fermenters that tick together, at most. A round of this many ticks and publishes takes a few milliseconds;
 * a round of a hundred kept the last state waiting for all the others, while one round per fermenter would
 * cost an event loop turn, a write and a TCP segment per state where a round shares them.
 */
export const TICK_GROUP = 8;

/**
 * When, after the start, the i-th of n fermenters (in cobrew.yaml's order) first ticks: fermenters go in
 * groups of TICK_GROUP in that order, and the groups share the control period out evenly, each at its own
 * fixed offset from then on. The first group ticks at the start; the offsets are the same on every start
 * with the same fermenters.
 */
export function tickPhaseMs(i: number, n: number, tickMs: number): number {
  const groups = Math.ceil(n / TICK_GROUP);
  return Math.floor((Math.floor(i / TICK_GROUP) * tickMs) / groups);
}
/** Ticks run per pump at most, so an overloaded host falls behind rather than freezing. */
const MAX_TICKS_PER_PUMP = 20_000;
/** Wall-clock waits before a failed fermenter's control restarts: doubling from the first to the longest. */
export const RESTART_BACKOFF = { firstMs: 1000, maxMs: 5 * 60_000 };
/** A fermenter that has run this long (its own clock) since its last restart starts its backoff again. */
const HEALTHY_MS = 10 * 60_000;

export interface FleetOptions {
  fermenters: FermenterConfig[];
  clock: Clock;
  /** Called when a fermenter's tick or board events throw: it is made safe, and restarted after `retryInMs`. */
  onError?: (fermenterId: string, error: unknown, retryInMs: number) => void;
  /** Keeps each fermenter's intent, latched trips and output times across restarts (control.db). */
  store?: ControlStateStore;
  /** How each fermenter started: from its stored intent or from cobrew.yaml, and why. */
  onResumed?: (fermenterId: string, note: ResumeNote) => void;
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
  const failed = new Set<Fermenter>();
  const restarts = new Map<Fermenter, { count: number; at: number; cancel: (() => void) | null }>();
  let stopping: Promise<void> | undefined;

  /** Safe now, the error told, control restarted after the backoff; outputs that cannot be made safe end it all. */
  const fail = (f: Fermenter, error: unknown) => {
    if (failed.has(f) || stopping) return;
    failed.add(f);
    const r = restarts.get(f) ?? { count: 0, at: Number.NEGATIVE_INFINITY, cancel: null };
    if (sim.now() - r.at >= HEALTHY_MS) r.count = 0;
    r.count++;
    const waitMs = Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.firstMs * 2 ** (r.count - 1));
    restarts.set(f, r);
    try {
      const why = (error as Error)?.message ?? String(error);
      f.guard.forceSafe(`its control failed (${why}); it restarts in ${duration(waitMs)}`);
    } catch (unsafe) {
      throw Object.assign(new OutputsUnsafeError(f.id, (unsafe as Error)?.message ?? String(unsafe)), {
        cause: unsafe,
      });
    }
    opts.onError?.(f.id, error, waitMs);
    r.cancel = timers.after(waitMs, () => {
      r.cancel = null;
      if (stopping) return;
      r.at = sim.now();
      f.restartControl();
      next.set(f, Math.max(next.get(f) as number, sim.now()));
      failed.delete(f);
      // The pump may be asleep until another fermenter's tick: this one is due now.
      if (cancelPump !== undefined) {
        cancelPump();
        loop();
      }
    });
  };

  const build = () =>
    built.map(({ cfg, built: b }) => {
      const memory = opts.store?.forFermenter(cfg.id);
      const remembered = memory === undefined ? {} : { memory };
      if (b.kind === 'sim' || cfg.board.type === 'sim') return new Fermenter(cfg, b.board, sim, remembered);
      let fermenter: Fermenter | null = null;
      const session = new BoardSession(cfg.id, cfg.board, b.board, {
        clock: opts.clock,
        timers,
        log: (e) => opts.onBoardLog?.(e),
        onError: (err) => {
          if (fermenter !== null) fail(fermenter, err);
        },
        loadDeviations: loadDeviations(cfg),
        ...(opts.openRetryMs === undefined ? {} : { retryMs: opts.openRetryMs }),
      });
      // A BrewPi board runs its own control loop: cobrew forwards its target and puts it in mode off on a trip.
      const brewpi = b.board instanceof BrewPiDriver ? b.board : null;
      const f = new Fermenter(cfg, b.board, sim, {
        boardSummary: session.summary,
        ...remembered,
        ...(brewpi === null ? {} : { controller: brewPiController(brewpi) }),
      });
      fermenter = f;
      if (brewpi !== null) followTrips(f, brewpi);
      session.attach(f);
      sessions.push(session);
      return f;
    });
  // Every fermenter's first intent in one commit, not one (and an fsync) each: it is on disk before the first
  // tick, and nothing switches an output on while they are built.
  const fermenters = opts.store === undefined ? build() : opts.store.together(build);
  for (const f of fermenters) opts.onResumed?.(f.id, f.resumed);
  const start = sim.now();
  const next = new Map(
    fermenters.map((f, i) => [f, start + tickPhaseMs(i, fermenters.length, f.config.control.tickMs)]),
  );
  let cancelPump: (() => void) | undefined;
  let ticks = 0;

  const tickDue = () => {
    for (const f of fermenters) {
      if (failed.has(f) || (next.get(f) as number) > sim.now()) continue;
      try {
        f.tick();
        ticks++;
      } catch (error) {
        fail(f, error);
      }
      next.set(f, (next.get(f) as number) + f.config.control.tickMs);
    }
  };

  const soonestDue = () => {
    let soonest = Number.POSITIVE_INFINITY;
    for (const f of fermenters) if (!failed.has(f)) soonest = Math.min(soonest, next.get(f) as number);
    return soonest;
  };
  // Sim time passes `speed` times faster than wall time; only a ScaledClock runs faster than the wall.
  const speed = opts.clock instanceof ScaledClock ? opts.clock.speed : 1;
  const shortestTickMs = Math.min(...opts.fermenters.map((f) => f.control.tickMs));

  const pump = () => {
    const until = opts.clock.now();
    for (let i = 0; i < MAX_TICKS_PER_PUMP; i++) {
      const soonest = soonestDue();
      if (soonest > until) break;
      if (soonest > sim.now()) sim.set(soonest);
      tickDue();
    }
  };

  const loop = () => {
    pump();
    if (stopping) return;
    cancelPump = timers.after(pumpWaitMs(soonestDue() - opts.clock.now(), speed, shortestTickMs), loop);
  };

  return {
    fermenters,
    async open() {
      await Promise.all(sessions.map((s) => s.open()));
    },
    ticks: () => ticks,
    start() {
      if (cancelPump || stopping) return;
      loop();
    },
    stop() {
      stopping ??= (async () => {
        // One fermenter whose outputs will not go off must not keep the others on.
        let unsafe: unknown;
        for (const f of fermenters) {
          try {
            f.safeStop('shutdown');
          } catch (err) {
            unsafe ??= err;
          }
        }
        cancelPump?.();
        cancelPump = undefined;
        for (const r of restarts.values()) r.cancel?.();
        // Each driver switches its board's outputs off and waits for the board to say so before letting go.
        const closed = await Promise.allSettled(sessions.map((s) => s.close()));
        const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
        if (unsafe !== undefined) throw unsafe;
        if (failed) throw failed.reason;
      })();
      return stopping;
    },
  };
}
