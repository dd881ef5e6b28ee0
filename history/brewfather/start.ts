// Runs the Brewfather push beside a running fleet: every state of a listed fermenter is offered, and a
// wall-clock timer sends what is due (Brewfather's limit is in real minutes, whatever the simulation speed).
import type { FermenterHandle } from '../../firmware-bridge/fleet.js';
import type { BrewfatherSettings } from './config-schema.js';
import { BrewfatherPush, type PushLog } from './push.js';

/** How often due posts are looked for; far below the 15-minute interval. */
const TICK_MS = 10_000;

export interface BrewfatherPushing {
  /** Stops the timer and keeps what waits on disk for the next start. */
  stop(): Promise<void>;
}

export function startBrewfatherPush(opts: {
  settings: BrewfatherSettings;
  dataDir: string;
  fermenters: readonly Pick<FermenterHandle, 'id' | 'on'>[];
  log: PushLog;
}): BrewfatherPushing {
  const push = new BrewfatherPush(opts.settings, opts.dataDir, { now: () => Date.now() }, opts.log);
  for (const f of opts.fermenters) {
    if (!opts.settings.fermenters.includes(f.id)) continue;
    f.on('state', (s) => push.offer(f.id, { at: Date.now(), beerC: s.beerC, gravity: s.gravity }));
  }
  let running = push.tick();
  const timer = setInterval(() => {
    running = running.then(() => push.tick());
  }, TICK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      push.save();
    },
  };
}
