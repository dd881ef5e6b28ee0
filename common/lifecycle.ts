// One lifecycle for every long-lived part: each is a Service with start() and stop(), started in order on one
// stack and stopped in exact reverse order, the way an exit stack unwinds. A part marked safeFirst (the
// fleet, whose outputs must be off before anything else goes away) stops before the unwinding starts.

export interface Service {
  /** Names the part in logs: "state publisher", "MQTT broker", … */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stopped before every other part, whatever its place on the stack. */
  readonly safeFirst?: boolean;
}

export interface StopLog {
  error(obj: object, msg: string): void;
}

export class ServiceStack {
  readonly #log: StopLog;
  readonly #started: Service[] = [];
  #stopping: Promise<void> | undefined;

  constructor(log: StopLog) {
    this.#log = log;
  }

  /** Starts a part and puts it on the stack; one that fails to start is not on it, and stops nothing. */
  async start(service: Service): Promise<void> {
    if (this.#stopping !== undefined) throw new Error(`${service.name} cannot start: the stack is stopping`);
    await service.start();
    this.#started.push(service);
  }

  /** The parts started so far, in start order. */
  get started(): readonly string[] {
    return this.#started.map((s) => s.name);
  }

  /**
   * Stops every started part once: the safe-first ones, then the rest from the last started to the first.
   * A part that fails to stop is logged and the others still stop; the first failure is thrown at the end.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#unwind();
    return this.#stopping;
  }

  async #unwind(): Promise<void> {
    const reversed = [...this.#started].reverse();
    const order = [...reversed.filter((s) => s.safeFirst), ...reversed.filter((s) => !s.safeFirst)];
    let failure: unknown;
    for (const service of order) {
      try {
        await service.stop();
      } catch (err) {
        this.#log.error({ err }, `stopping the ${service.name} failed`);
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
