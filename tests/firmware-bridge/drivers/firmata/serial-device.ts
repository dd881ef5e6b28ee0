// The far end of a SerialPortMock: a board that powers up when the host opens the port (DTR resets an
// Uno), hears the host's bytes, answers on its own timers, and can be unplugged and plugged back in.
// The Firmata responder and the BrewPi emulator are built on it.
import { SerialPortMock } from 'serialport';
import type { ManualClock } from '../../../../common/clock.js';
import { SerialOpenError } from '../../../../firmware-bridge/drivers/serial/errors.js';
import { openLink, type SerialLink } from '../../../../firmware-bridge/drivers/serial/open.js';
import type { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';

type MockPortBinding = NonNullable<SerialPortMock['port']>;

export abstract class SerialDevice {
  readonly clock: ManualClock;
  /** Host opens seen, and the most ports open at once (must stay 1: no second instance). */
  opens = 0;
  maxOpenAtOnce = 0;
  /** While deaf the board hears nothing from the host. */
  deaf = false;
  /** The rate the host opened the port at, last. */
  hostBaud = 0;
  #plugged = true;
  #binding: MockPortBinding | null = null;
  #openNow = 0;
  #cancels: Array<() => void> = [];

  constructor(
    readonly path: string,
    readonly timers: ManualTimers,
  ) {
    this.clock = timers.clock;
    SerialPortMock.binding.createPort(path);
  }

  /** For a driver's `openPort`: opens a SerialPortMock whose far end is this board. */
  readonly openPort = async (path: string, baudRate: number): Promise<SerialLink> => {
    if (!this.#plugged) {
      throw new SerialOpenError(path, baudRate, `ENOENT: no such file or directory, open '${path}'`);
    }
    this.hostBaud = baudRate;
    const link = new SerialPortMock({ path, baudRate, autoOpen: false });
    link.once('open', () => {
      if (link.port !== undefined) this.#attach(link.port);
    });
    return openLink(link, baudRate);
  };

  get plugged(): boolean {
    return this.#plugged;
  }

  /** The USB cable comes out: the board loses power and the host's pending read fails as on Linux. */
  unplug(): void {
    const b = this.#binding;
    this.#plugged = false;
    this.#powerOff();
    if (b === null) return;
    const pending = (b as unknown as { pendingRead: ((err: Error) => void) | null }).pendingRead;
    if (pending === null) throw new Error('device: the host has no read pending to fail');
    pending(new Error('device reports readiness to read but returned no data (device disconnected?)'));
  }

  replug(): void {
    this.#plugged = true;
  }

  /** The board powers up (or resets) with the port open. */
  protected abstract boot(): void;
  /** Bytes from the host, as they arrive. */
  protected abstract hear(bytes: Buffer): void;
  /** Power is gone: outputs drop. */
  protected abstract powerOff(): void;

  protected emit(bytes: Buffer | readonly number[] | string): void {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    this.#binding?.emitData(buf);
  }

  /** Runs `fn` after `ms` unless the board loses power first. */
  protected later(ms: number, fn: () => void): void {
    this.#cancels.push(this.timers.after(ms, fn));
  }

  protected every(ms: number, fn: () => void): void {
    const tick = () => {
      this.later(ms, tick);
      fn();
    };
    this.later(ms, tick);
  }

  /** A reset with the port open (watchdog, brown-out): timers stop, outputs drop, the board boots. */
  protected restart(): void {
    this.#powerOff();
    this.boot();
  }

  #powerOff(): void {
    for (const cancel of this.#cancels) cancel();
    this.#cancels = [];
    this.powerOff();
  }

  #attach(binding: MockPortBinding): void {
    this.opens++;
    this.#openNow++;
    this.maxOpenAtOnce = Math.max(this.maxOpenAtOnce, this.#openNow);
    this.#binding = binding;
    const write = binding.write.bind(binding);
    binding.write = async (buf: Buffer) => {
      await write(buf);
      if (!this.deaf && this.#binding === binding) this.hear(Buffer.from(buf));
    };
    const close = binding.close.bind(binding);
    binding.close = async () => {
      if (this.#binding === binding) {
        this.#openNow--;
        this.#binding = null;
        this.#powerOff();
      }
      return close();
    };
    this.restart();
  }
}
