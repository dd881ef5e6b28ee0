// Caps the size of every MQTT packet a client sends. The parser aedes uses buffers a whole packet before
// handing it over, up to the 256 MiB the protocol allows, so the check reads each packet's fixed header as
// the bytes arrive and ends the connection as soon as a header announces too much.
import { Duplex } from 'node:stream';

export class PacketTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`MQTT packet of ${bytes} bytes is larger than the ${maxBytes} allowed`);
    this.name = 'PacketTooLargeError';
  }
}

/** Connections holding writes until the end of the turn's deliveries. */
const corked = new Set<PacketSizeGuard>();
let deliveryFlush: NodeJS.Immediate | null = null;
let rearming = false;

/**
 * aedes writes each delivery from an immediate of its own, queued when the message is routed. A connection's
 * own end-of-turn flush, queued from inside that immediate, would wait a whole extra loop turn. Called as
 * deliveries are routed, this moves one shared flush behind the last delivery queued in the turn, so the
 * whole fan-out leaves in one write per subscriber as soon as it is written.
 */
export function flushAfterDeliveries(): void {
  if (rearming) return;
  rearming = true;
  // After the routing code has queued its delivery immediates: a microtask runs once it returns.
  queueMicrotask(() => {
    rearming = false;
    if (deliveryFlush !== null) clearImmediate(deliveryFlush);
    deliveryFlush = setImmediate(() => {
      deliveryFlush = null;
      for (const guard of corked) guard.flush();
    });
  });
}

/** Wraps a client's connection; aedes reads and writes the wrapper instead of the connection. */
export class PacketSizeGuard extends Duplex {
  readonly #inner: Duplex;
  readonly #maxBytes: number;
  /** Where the scanner is: at a packet's first byte, in its remaining-length bytes, or in its body. */
  #state: 'type' | 'length' | 'body' = 'type';
  #length = 0;
  #lengthBytes = 0;
  #bodyLeft = 0;
  /** The pending end-of-turn flush, while the connection is corked. */
  #flush: NodeJS.Immediate | null = null;
  /** For log lines; a WebSocket stream has no address of its own. */
  readonly remoteAddress: string | undefined;

  constructor(inner: Duplex, maxBytes: number, remoteAddress?: string) {
    super({ allowHalfOpen: false });
    this.#inner = inner;
    this.#maxBytes = maxBytes;
    this.remoteAddress = remoteAddress ?? (inner as { remoteAddress?: string }).remoteAddress;
    inner.on('data', (chunk: Buffer) => {
      const err = this.#scan(chunk);
      if (err !== null) {
        this.destroy(err);
        return;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#batch();
    this.#flowed(this.#inner.write(chunk), cb);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    this.#batch();
    let flowing = true;
    for (const { chunk } of chunks) flowing = this.#inner.write(chunk);
    this.#flowed(flowing, cb);
  }

  /**
   * Everything written to this client in one turn of the event loop goes out in one system call: aedes
   * writes each delivered packet on its own, and a write per packet is what dominated the broker's time.
   * Backpressure is kept: a write over the high-water mark waits for `drain`, which follows the flush.
   */
  #batch(): void {
    if (this.#flush !== null) return;
    this.#inner.cork();
    corked.add(this);
    this.#flush = setImmediate(() => this.flush());
  }

  /** Sends what is batched now. */
  flush(): void {
    if (this.#flush === null) return;
    clearImmediate(this.#flush);
    this.#flush = null;
    corked.delete(this);
    this.#inner.uncork();
  }

  #flowed(flowing: boolean, cb: (err?: Error | null) => void): void {
    if (flowing) cb();
    else this.#inner.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.flush();
    this.#inner.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.#flush !== null) {
      // What this turn batched still goes out (a CONNACK refusing a login, say) before the connection
      // closes; a peer that does not take it within a second is cut off all the same.
      this.flush();
      const inner = this.#inner;
      const cutOff = setTimeout(() => inner.destroy(err ?? undefined), 1000);
      cutOff.unref();
      inner.end(() => {
        clearTimeout(cutOff);
        inner.destroy(err ?? undefined);
      });
      cb(err);
      return;
    }
    this.#inner.destroy(err ?? undefined);
    cb(err);
  }

  #scan(chunk: Buffer): PacketTooLargeError | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'type') {
        i += 1;
        this.#state = 'length';
        this.#length = 0;
        this.#lengthBytes = 0;
      } else if (this.#state === 'length') {
        const byte = chunk[i] as number;
        i += 1;
        this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes;
        this.#lengthBytes += 1;
        const size = 1 + this.#lengthBytes + this.#length;
        // A fifth length byte is malformed; mqtt-packet reports that one itself.
        if (size > this.#maxBytes) return new PacketTooLargeError(size, this.#maxBytes);
        if ((byte & 0x80) === 0 || this.#lengthBytes === 4) {
          this.#bodyLeft = this.#length;
          this.#state = this.#bodyLeft > 0 ? 'body' : 'type';
        }
      } else {
        const n = Math.min(this.#bodyLeft, chunk.length - i);
        i += n;
        this.#bodyLeft -= n;
        if (this.#bodyLeft === 0) this.#state = 'type';
      }
    }
    return null;
  }
}
