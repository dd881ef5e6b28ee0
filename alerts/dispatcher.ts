// Drains the durable queue: each due delivery is sent on its channel, then marked sent, retried later with
// a growing delay (or when the server said, 429 Retry-After), or given up after maxAttempts, which raises a
// channel-failing alert. Per person and channel, at most perChannelPerHour messages go out an hour; the
// rest wait their turn. One pass at a time, so a message is never sent twice by this process.
import type { Clock } from '../common/clock.js';
import type { Channel, SendResult } from './channels/channel.js';
import type { Contact } from './contact-schema.js';
import type { ChannelKind } from './model.js';
import type { AlertStore, DeliveryRecord } from './store.js';

const HOUR_MS = 3_600_000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 10 * 60_000;
const BATCH = 50;

export interface DispatcherOptions {
  store: AlertStore;
  /** Where a recipient's messages go (the router's `contactOf`: a person's own, or the space's defaults). */
  contactOf: (user: string) => Contact;
  channels: Partial<Record<ChannelKind, Channel>>;
  clock: Clock;
  perChannelPerHour: number;
  maxAttempts: number;
  /** How long a delivery is held by the sender trying it: longer than one attempt can take. */
  leaseMs: number;
  /**
   * How often the queue is looked at when nothing nudges it, wall ms (250 by default); null: never by itself,
   * its owner nudges it on a timer it already has.
   */
  pollMs?: number | null;
  onGaveUp?: (d: DeliveryRecord, error: string) => void;
  onSent?: (d: DeliveryRecord) => void;
  log?: { warn(obj: object, msg: string): void };
}

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(attempts, 20));
}

export class Dispatcher {
  readonly #o: DispatcherOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  /** Passes run one after the other, never side by side: a row is never picked up by two of them. */
  #chain: Promise<void> = Promise.resolve();
  #again = false;
  #stopped = true;
  #closed = false;

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#stopped = false;
    this.nudge();
  }

  /** Waits for the pass under way; what is left stays queued on disk for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#running;
    for (const c of Object.values(this.#o.channels)) c?.close?.();
  }

  /** Looks at the queue now (a new message was queued). */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.pass().finally(() => {
      this.#running = null;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.nudge();
      } else if (this.#o.pollMs !== null) this.#timer = setTimeout(() => this.nudge(), this.#o.pollMs ?? 250);
    });
  }

  /** Sends every delivery due now, after any pass under way; resolves when they are all settled. */
  pass(): Promise<void> {
    this.#chain = this.#chain
      .catch((err: Error) =>
        this.#o.log?.warn({ err }, 'a pass over the alert queue failed; the next one retries'),
      )
      .then(() => this.#pass());
    return this.#chain;
  }

  async #pass(): Promise<void> {
    for (let round = 0; round < 20 && !this.#closed; round++) {
      const due = this.#o.store.due(this.#o.clock.now(), BATCH);
      if (due.length === 0) return;
      // One person's channel at a time, in order (the rate limit counts what was sent); the others meanwhile.
      const lanes = new Map<string, DeliveryRecord[]>();
      for (const d of due)
        lanes.set(`${d.user}\n${d.channel}`, [...(lanes.get(`${d.user}\n${d.channel}`) ?? []), d]);
      await Promise.all(
        [...lanes.values()].map(async (lane) => {
          for (const d of lane) await this.#deliver(d);
        }),
      );
    }
  }

  async #deliver(d: DeliveryRecord): Promise<void> {
    const { store, clock } = this.#o;
    const channel = this.#o.channels[d.channel];
    const contact = this.#o.contactOf(d.user);
    if (channel === undefined) {
      store.cancel(d.id, `the ${d.channel} channel is not configured on this cobrew`);
      return;
    }
    if (contact.channels[d.channel] === undefined) {
      store.cancel(d.id, `${d.user} removed their ${d.channel} address`);
      return;
    }
    const now = clock.now();
    const sent = store.sentSince(d.user, d.channel, now - HOUR_MS);
    if (sent.length >= this.#o.perChannelPerHour) {
      store.markFailed(d.id, 'rate limit: waiting for a free slot', (sent[0] as number) + HOUR_MS, false);
      return;
    }
    if (!store.claim(d, now + this.#o.leaseMs)) return;
    const result: SendResult = await channel.send(d.message, contact, d.idemKey).catch((err: Error) => ({
      ok: false,
      error: err.message,
      permanent: false,
    }));
    const at = clock.now();
    if (result.ok) {
      store.markSent(d.id, at);
      this.#o.onSent?.(d);
      return;
    }
    const attempts = d.attempts + 1;
    if (result.permanent || attempts >= this.#o.maxAttempts) {
      store.markFailed(d.id, result.error, null);
      this.#o.log?.warn({ delivery: d.idemKey, error: result.error, attempts }, 'alert delivery given up');
      this.#o.onGaveUp?.(d, result.error);
      return;
    }
    const wait = result.retryAfterMs ?? backoffMs(d.attempts);
    store.markFailed(d.id, result.error, at + wait);
  }
}
