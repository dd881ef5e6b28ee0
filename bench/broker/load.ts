// The load, the same for both brokers: publishers each send their messages as fast as mqtt.js lets them
// (QoS 0: as fast as the socket drains; QoS 1: a bounded number awaiting their PUBACK), and every subscriber
// receives every message. Throughput is the deliveries counted at the subscribers over the time from the
// first publish to the last delivery.
import { connectAsync, type MqttClient } from 'mqtt';
import type { Account, Accounts } from './accounts.js';

export type QoS = 0 | 1;

export interface LoadParams {
  /** Messages each publisher sends in one run. */
  messages: number;
  payloadBytes: number;
  /** Publishes of one publisher not yet written (QoS 0) or not yet acknowledged (QoS 1). */
  window: number;
  /** A run stops publishing after this long, and gives up waiting for deliveries soon after. */
  maxRunMs: number;
}

export interface RunResult {
  sent: number;
  delivered: number;
  /** Deliveries that every subscriber receiving every message would make. */
  expected: number;
  seconds: number;
  perSecond: number;
}

/** How long without a delivery, once publishing is over, before lost messages are given up. */
const IDLE_MS = 1000;

export class Load {
  #delivered = 0;
  #lastAt = 0;
  #onDelivery: (() => void) | undefined;

  private constructor(
    private readonly publishers: Array<{ client: MqttClient; topic: string }>,
    private readonly subscribers: Array<{ client: MqttClient; filter: string }>,
  ) {
    for (const { client } of subscribers) {
      client.on('message', () => {
        this.#delivered += 1;
        this.#lastAt = performance.now();
        this.#onDelivery?.();
      });
    }
  }

  static async connect(url: string, accounts: Accounts): Promise<Load> {
    const clients: MqttClient[] = [];
    const open = async (a: Account, kind: string, i: number) => {
      const client = await connectAsync(url, {
        clientId: `bench-${kind}-${i}-${process.pid}`,
        username: a.principal.name,
        password: a.password,
        protocolVersion: 4,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      });
      clients.push(client);
      client.on('error', (err) => console.error(`${a.principal.name}: ${err.message}`));
      return client;
    };
    try {
      const publishers = await Promise.all(
        accounts.publishers.map(async (a, i) => ({ client: await open(a, 'pub', i), topic: a.topic })),
      );
      const subscribers = await Promise.all(
        accounts.subscribers.map(async (a, i) => ({ client: await open(a, 'sub', i), filter: a.topic })),
      );
      return new Load(publishers, subscribers);
    } catch (err) {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      throw err;
    }
  }

  /** (Re)subscribes every subscriber at this QoS; a refused subscription is an error. */
  async subscribe(qos: QoS): Promise<void> {
    await Promise.all(
      this.subscribers.map(async ({ client, filter }) => {
        const granted = await client.subscribeAsync(filter, { qos });
        if (granted.some((g) => g.qos !== qos)) {
          throw new Error(`subscription to ${filter} refused or downgraded: ${JSON.stringify(granted)}`);
        }
      }),
    );
  }

  async run(qos: QoS, params: LoadParams): Promise<RunResult> {
    const payload = Buffer.alloc(params.payloadBytes, 'x');
    this.#delivered = 0;
    this.#lastAt = 0;
    let publishing = true;
    let sent = 0;
    const t0 = performance.now();
    const deadline = t0 + params.maxRunMs;

    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const expected = () => sent * this.subscribers.length;
    this.#onDelivery = () => {
      if (!publishing && this.#delivered >= expected()) finish();
    };

    const counts = await Promise.all(
      this.publishers.map(({ client, topic }) =>
        publishAll(client, topic, payload, qos, params.messages, params.window, deadline),
      ),
    );
    sent = counts.reduce((a, b) => a + b, 0);
    publishing = false;
    const watchdog = setInterval(() => {
      const now = performance.now();
      const quiet = now - Math.max(this.#lastAt, t0) > IDLE_MS;
      if (this.#delivered >= expected() || quiet || now > deadline + 10 * IDLE_MS) finish();
    }, 50);
    try {
      await finished;
    } finally {
      clearInterval(watchdog);
      this.#onDelivery = undefined;
    }
    const delivered = this.#delivered;
    const seconds = (this.#lastAt - t0) / 1000;
    return {
      sent,
      delivered,
      expected: expected(),
      seconds,
      perSecond: delivered > 0 ? delivered / seconds : 0,
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.publishers, ...this.subscribers].map(({ client }) => client.endAsync(true).catch(() => {})),
    );
  }
}

/** Sends up to `n` messages on `window` lanes, each awaiting its publish before the next; returns how many. */
async function publishAll(
  client: MqttClient,
  topic: string,
  payload: Buffer,
  qos: QoS,
  n: number,
  window: number,
  deadline: number,
): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < n && performance.now() < deadline) {
      next += 1;
      await client.publishAsync(topic, payload, { qos });
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, lane));
  return next;
}
