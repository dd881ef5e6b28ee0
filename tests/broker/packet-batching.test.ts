import { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { flushAfterDeliveries, PacketSizeGuard } from '../../broker/packet-size.js';

/** A connection at the boundary: it counts the writes that reach it, as system calls would. */
function countingConnection() {
  const seen = { calls: 0, bytes: 0 };
  const inner = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      seen.calls++;
      seen.bytes += chunk.length;
      cb();
    },
    writev(chunks, cb) {
      seen.calls++;
      for (const { chunk } of chunks) seen.bytes += (chunk as Buffer).length;
      cb();
    },
  });
  return { inner, seen };
}

describe('PacketSizeGuard output batching', () => {
  it('sends every packet written in one turn of the event loop in one write', async () => {
    const { inner, seen } = countingConnection();
    const guard = new PacketSizeGuard(inner, 65_536);
    for (let i = 0; i < 100; i++) guard.write(Buffer.alloc(100, i));
    expect(seen.calls).toBe(0);
    await nextTurn();
    expect(seen).toEqual({ calls: 1, bytes: 10_000 });
    guard.write(Buffer.alloc(10));
    await nextTurn();
    expect(seen).toEqual({ calls: 2, bytes: 10_010 });
  });

  it('still delivers what was batched when the connection is destroyed in the same turn', async () => {
    const { inner, seen } = countingConnection();
    const guard = new PacketSizeGuard(inner, 65_536);
    guard.write(Buffer.from([0x20, 0x02, 0x00, 0x05])); // a CONNACK refusing the login
    guard.destroy();
    await nextTurn();
    expect(seen.bytes).toBe(4);
    expect(inner.destroyed).toBe(true);
  });

  it('sends a turn of routed deliveries in one write per subscriber, in the turn they are written', async () => {
    const subscribers = [countingConnection(), countingConnection()];
    const guards = subscribers.map(({ inner }) => new PacketSizeGuard(inner, 65_536));
    // As aedes routes a message: the forward check runs, then one immediate per subscriber writes it.
    let written = 0;
    const route = () => {
      for (const guard of guards) {
        flushAfterDeliveries();

        setImmediate(() => {
          guard.write(Buffer.alloc(100));
          written++;
        });
      }
    };
    for (let i = 0; i < 10; i++) route();
    await Promise.resolve(); // the routing code returns
    let callsWhenWritten = -1;
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        // Queued after the deliveries and the shared flush: what reached the connections in their turn.
        callsWhenWritten = subscribers.reduce((n, s) => n + s.seen.calls, 0);
        resolve();
      }),
    );
    expect(written).toBe(20);
    expect(callsWhenWritten).toBe(2);
    expect(subscribers.map((s) => s.seen)).toEqual([
      { calls: 1, bytes: 1000 },
      { calls: 1, bytes: 1000 },
    ]);
  });
});
