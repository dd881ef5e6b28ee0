// One open port to a board: its sequence numbers, the commands waiting for an answer and its timers.
// A new session starts at every (re)connection, so nothing from a lost port can act on the next one.
import type { SerialLink } from '../serial/open.js';
import type { Timers } from '../serial/timers.js';
import { SeqCounter } from './codec.js';
import { type BoardMessage, encodeCommand, type HostCommand } from './messages.js';

type Answer = BoardMessage & { type: 'ACK' | 'NAK' };

export class Session {
  readonly #seq = new SeqCounter();
  readonly #pending = new Map<number, (m: Answer) => void>();
  /** Waiters to release and timers to cancel when the session ends. */
  readonly #onClose = new Set<() => void>();
  lastBoardSeq: number | null = null;
  /** Identified and configured: outputs and heartbeats may flow. */
  ready = false;
  closed = false;
  helloWaiter: ((m: BoardMessage & { type: 'HELLO' }) => void) | null = null;
  /** When the last HELLO? went out. */
  helloAskedAt: number | null = null;
  scan: { roms: string[]; done: (count: number) => void } | null = null;

  constructor(
    readonly link: SerialLink,
    readonly timers: Timers,
  ) {}

  send(cmd: HostCommand): number {
    const seq = this.#seq.next();
    if (!this.closed) this.link.write(encodeCommand(seq, cmd));
    return seq;
  }

  /** Sends a command and resolves with its ACK or NAK, or null after `ms` or when the session ends. */
  async request(cmd: HostCommand, ms: number): Promise<Answer | null> {
    let seq = -1;
    try {
      return await this.wait<Answer>(ms, (done) => {
        seq = this.send(cmd);
        this.#pending.set(seq, done);
      });
    } finally {
      this.#pending.delete(seq);
    }
  }

  answer(m: Answer): void {
    this.#pending.get(m.hostSeq)?.(m);
  }

  /** Resolves with what `arm`'s callback is given, or null after `ms` or when the session ends. */
  wait<T>(ms: number, arm: (done: (value: T) => void) => void): Promise<T | null> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(null);
        return;
      }
      let settled = false;
      const finish = (value: T | null) => {
        if (settled) return;
        settled = true;
        cancel();
        this.#onClose.delete(release);
        resolve(value);
      };
      const release = () => finish(null);
      const cancel = this.timers.after(ms, release);
      this.#onClose.add(release);
      arm(finish);
    });
  }

  /** Calls `fn` every `ms` until the session ends. */
  every(ms: number, fn: () => void): void {
    let cancel = () => {};
    const stop = () => cancel();
    const tick = () => {
      cancel = this.timers.after(ms, tick);
      fn();
    };
    cancel = this.timers.after(ms, tick);
    this.#onClose.add(stop);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const release of [...this.#onClose]) release();
    this.#onClose.clear();
  }
}
