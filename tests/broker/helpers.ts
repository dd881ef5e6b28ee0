import { EventEmitter } from 'node:events';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded.js';
import type { StateSource } from '../../broker/state-publisher.js';
import type { FermenterState, Incident } from '../../firmware-bridge/types.js';

export function sampleState(id: string, patch: Partial<FermenterState> = {}): FermenterState {
  return {
    id,
    name: `Fermenter ${id}`,
    at: Date.UTC(2026, 0, 1, 12),
    beerC: 18.52,
    chamberC: 17.1,
    ambientC: 20.3,
    mode: 'beer',
    beerSetpointC: 18,
    chamberSetpointC: 16.5,
    outputs: { heat: false, cool: true },
    controllerState: 'cooling',
    safety: { status: 'ok', trips: [], alarms: [] },
    gravity: 1.0423,
    hydrometerBatteryV: 3.92,
    ...patch,
  };
}

/** A fermenter at the publisher's boundary: the test decides what it says and when. */
export class FakeSource implements StateSource {
  readonly #events = new EventEmitter();
  #latest: FermenterState | null = null;
  constructor(readonly id: string) {}
  latest(): FermenterState | null {
    return this.#latest;
  }
  on(event: 'state', cb: (s: FermenterState) => void): void;
  on(event: 'incident', cb: (i: Incident) => void): void;
  on(event: 'state' | 'incident', cb: (arg: FermenterState & Incident) => void): void {
    this.#events.on(event, cb);
  }
  state(patch: Partial<FermenterState> = {}): FermenterState {
    const s = sampleState(this.id, patch);
    this.#latest = s;
    this.#events.emit('state', s);
    return s;
  }
  incident(i: Incident): void {
    this.#events.emit('incident', i);
  }
}

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
  qos: number;
}

/** A plain MQTT client that records everything it hears on `filter`. */
export async function listen(url: string, filter: string | string[]) {
  const client: MqttClient = await connectAsync(url, { reconnectPeriod: 0 });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, text: payload.toString('utf8'), retain: packet.retain, qos: packet.qos }),
  );
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, messages, close: () => client.endAsync() };
}

export async function waitFor<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * What a test started, stopped after it in reverse order, and an open embedded broker on a free port
 * that is stopped the same way. Call inside a describe block.
 */
export function useCleanup() {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const broker = async (): Promise<EmbeddedBroker> => {
    const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => b.close());
    return b;
  };
  return { cleanup, broker };
}
