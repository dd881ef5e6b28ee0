// systemd's watchdog, fed only while the control loop is really ticking: a stalled event loop sends nothing
// (the timer never fires), and a control loop that has stopped moving sends nothing either, so systemd
// kills and restarts cobrew (the boards' own failsafe switches their outputs off meanwhile).
import type { Notifier } from './notify.js';

export interface Watchdog {
  stop(): Promise<void>;
}

export interface WatchdogOptions {
  notifier: Notifier;
  /** Increases every time the control loop runs. */
  progress: () => number;
  env?: NodeJS.ProcessEnv;
  /** Told when a message cannot be sent. */
  onError?: (err: unknown) => void;
}

/** Tells systemd cobrew is ready, then feeds its watchdog at half the period it asks for (if it asks). */
export function startWatchdog(opts: WatchdogOptions): Watchdog {
  const env = opts.env ?? process.env;
  const tell = (state: string) => opts.notifier.send(state).catch((err: unknown) => opts.onError?.(err));
  void tell('READY=1');
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === process.pid;
  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(usec) && usec > 0 && forUs) {
    let seen = opts.progress();
    timer = setInterval(
      () => {
        const now = opts.progress();
        if (now !== seen) void tell('WATCHDOG=1');
        seen = now;
      },
      Math.max(1, usec / 2000),
    );
  }
  return {
    async stop() {
      clearInterval(timer);
      await tell('STOPPING=1');
      opts.notifier.close();
    },
  };
}
