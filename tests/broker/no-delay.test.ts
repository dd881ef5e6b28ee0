// Small MQTT packets leave at once on both ends of cobrew's connections: with Nagle's algorithm on, each
// state would wait for the peer's delayed acknowledgement of the one before (up to 40 ms on Linux).
import { Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connected, createClient } from '../../broker/client.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded.js';

/** Whether setNoDelay(true) was applied to a socket: node keeps it under its own symbol. */
function noDelayOf(socket: Socket): unknown {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kSetNoDelay');
  expect(key, 'node marks the sockets it sets TCP_NODELAY on').toBeDefined();
  return (socket as unknown as Record<symbol, unknown>)[key as symbol];
}

let broker: EmbeddedBroker | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await broker?.close();
  broker = undefined;
});

describe('TCP_NODELAY', () => {
  it("is set on the embedded broker's connections and on cobrew's clients, after each reconnection too", async () => {
    const accepted: Socket[] = [];
    const emit = Server.prototype.emit as (
      this: Server,
      event: string | symbol,
      ...args: unknown[]
    ) => boolean;
    vi.spyOn(Server.prototype, 'emit').mockImplementation(function (
      this: Server,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (event === 'connection') accepted.push(args[0] as Socket);
      return emit.call(this, event, ...args);
    });
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    const client = createClient(broker.url, 'test', { reconnectPeriod: 20 });
    await connected(client);
    try {
      expect(noDelayOf(client.stream as Socket)).toBe(true);
      expect(accepted.map(noDelayOf)).toEqual([true]);
      const first = client.stream;
      client.stream.destroy();
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      expect(client.stream).not.toBe(first);
      expect(noDelayOf(client.stream as Socket)).toBe(true);
      expect(accepted.map(noDelayOf)).toEqual([true, true]);
    } finally {
      await client.endAsync(true);
    }
  });
});
