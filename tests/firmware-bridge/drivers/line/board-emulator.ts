// A reference board as docs/board-protocol.md describes it, on the far end of a SerialPortMock: it answers
// HELLO?, SCAN, CFG and OUT, converts its sensors every second, reports ST, and enforces the heartbeat
// timeout, the interlock and the max on-time itself. It can be unplugged, replugged, reset or made deaf.
import { SerialPortMock } from 'serialport';
import type { ManualClock } from '../../../../common/clock.js';
import { decodeLine, encodeFrame, type Frame } from '../../../../firmware-bridge/drivers/line/codec.js';
import type { BoardLimits } from '../../../../firmware-bridge/drivers/line/messages.js';
import { SerialOpenError } from '../../../../firmware-bridge/drivers/serial/errors.js';
import { openLink, type SerialLink } from '../../../../firmware-bridge/drivers/serial/open.js';
import type { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import type { Outputs } from '../../../../firmware-bridge/types.js';

export const ROMS = {
  beer: '28FF4A1B2C3D045A',
  chamber: '28FF11223344AAC5',
  ambient: '28FF55667788BB48',
} as const;

type MockPortBinding = NonNullable<SerialPortMock['port']>;

const FLAG = { HB_TIMEOUT: 0x01, MAXON_HEAT: 0x02, MAXON_COOL: 0x04, BOOT: 0x08 };
type Out = keyof Outputs;
const MAXON_FLAG: Record<Out, number> = { heat: FLAG.MAXON_HEAT, cool: FLAG.MAXON_COOL };

export interface EmulatorOptions {
  path: string;
  timers: ManualTimers;
  firmware?: string;
  version?: string;
  profile?: string;
  protocol?: number;
  /** Compiled limits. */
  limits?: BoardLimits;
  /** ROM → milli-°C, or ERR for a sensor that does not answer. */
  sensors?: Record<string, number | 'ERR'>;
  /** How long after the port opens the bootloader swallows input before the firmware says HELLO. */
  bootMs?: number;
  /** HELLO's trailing fields (compressor protection, brown-out level), as the firmware sends them. */
  helloTail?: number[];
}

type Log = { at: number; dir: 'host' | 'board'; line: string };

export class BoardEmulator {
  readonly path: string;
  readonly timers: ManualTimers;
  readonly clock: ManualClock;
  readonly sensors: Map<string, number | 'ERR'>;
  /** Host frames received, in order. */
  readonly received: Frame[] = [];
  /** Every line both ways, for failure messages. */
  readonly log: Log[] = [];
  relays: Outputs = { heat: false, cool: false };
  flags = FLAG.BOOT;
  /** Lines the board dropped (bad CRC, syntax…). */
  dropped = 0;
  /** Host opens seen, and the most ports open at once (must stay 1). */
  opens = 0;
  maxOpenAtOnce = 0;
  /** While deaf the board hears nothing from the host (a broken wire, a hung host). */
  deaf = false;
  /** Refuses every OUT that switches something on with this NAK reason (the firmware's timing refusals). */
  refuseOn: string | null = null;
  #opts: Required<Omit<EmulatorOptions, 'sensors' | 'timers' | 'path' | 'helloTail'>>;
  readonly #helloTail: number[];
  #limits: BoardLimits;
  #plugged = true;
  #nextCause = 'power-on';
  /** Why the board last reset, as HELLO reports it. */
  #cause = 'power-on';
  #binding: MockPortBinding | null = null;
  #openNow = 0;
  #seq = 0;
  #bootUntil = 0;
  #rx = '';
  #cancels: Array<() => void> = [];
  #hbCancel: (() => void) | null = null;
  #maxOnCancel: Record<Out, (() => void) | null> = { heat: null, cool: null };
  #onSince: Record<Out, number> = { heat: 0, cool: 0 };

  constructor(opts: EmulatorOptions) {
    this.path = opts.path;
    this.timers = opts.timers;
    this.clock = opts.timers.clock;
    this.#opts = {
      firmware: opts.firmware ?? 'cobrew-ref',
      version: opts.version ?? '1.0.0',
      profile: opts.profile ?? 'ref-uno-r1',
      protocol: opts.protocol ?? 1,
      limits: opts.limits ?? { heartbeatTimeoutS: 10, maxOnHeatS: 14400, maxOnCoolS: 86400 },
      bootMs: opts.bootMs ?? 0,
    };
    this.#limits = { ...this.#opts.limits };
    this.#helloTail = opts.helloTail ?? [];
    this.sensors = new Map(
      Object.entries(opts.sensors ?? { [ROMS.beer]: 20062, [ROMS.chamber]: 18500, [ROMS.ambient]: 21000 }),
    );
    SerialPortMock.binding.createPort(this.path);
  }

  get limits(): BoardLimits {
    return this.#limits;
  }

  /** For the driver's `openPort`: opens a SerialPortMock whose far end is this board. */
  readonly openPort = async (path: string, baudRate: number): Promise<SerialLink> => {
    if (!this.#plugged)
      throw new SerialOpenError(path, baudRate, `ENOENT: no such file or directory, open '${path}'`);
    const link = new SerialPortMock({ path, baudRate, autoOpen: false });
    link.once('open', () => {
      if (link.port !== undefined) this.#attach(link.port);
    });
    return openLink(link, baudRate);
  };

  /** The USB cable comes out: the board loses power and the host's read fails as on Linux. */
  unplug(): void {
    const b = this.#binding;
    this.#plugged = false;
    this.#powerOff();
    if (b === null) return;
    const pending = (b as unknown as { pendingRead: ((err: Error) => void) | null }).pendingRead;
    if (pending === null) throw new Error('emulator: the host has no read pending to fail');
    pending(
      new Error(
        'device reports readiness to read but returned no data (device disconnected or multiple access on port?)',
      ),
    );
  }

  replug(): void {
    this.#plugged = true;
    this.#nextCause = 'power-on';
  }

  /** The firmware resets (e.g. its watchdog) while the port stays open; `helloLost`: noise eats its HELLO. */
  reset(cause: string, opts: { helloLost?: boolean } = {}): void {
    this.#boot(cause, opts.helloLost ?? false);
  }

  /** A board-side line as it would go out (for injecting noise or hand-made frames). */
  sendRaw(text: string): void {
    this.log.push({ at: this.clock.now(), dir: 'board', line: text });
    this.#binding?.emitData(Buffer.from(text, 'latin1'));
  }

  #attach(binding: MockPortBinding): void {
    this.opens++;
    this.#openNow++;
    this.maxOpenAtOnce = Math.max(this.maxOpenAtOnce, this.#openNow);
    this.#binding = binding;
    const write = binding.write.bind(binding);
    binding.write = async (buf: Buffer) => {
      await write(buf);
      this.#receive(buf.toString('latin1'));
    };
    const close = binding.close.bind(binding);
    binding.close = async () => {
      this.#detach(binding);
      return close();
    };
    // Opening the port pulls DTR, which resets an Uno.
    this.#boot(this.#nextCause);
    this.#nextCause = 'external';
  }

  #detach(binding: MockPortBinding): void {
    if (this.#binding !== binding) return;
    this.#openNow--;
    this.#binding = null;
    this.#powerOff();
  }

  #powerOff(): void {
    for (const cancel of this.#cancels) cancel();
    this.#cancels = [];
    this.#hbCancel?.();
    this.#hbCancel = null;
    this.#maxOnCancel.heat?.();
    this.#maxOnCancel.cool?.();
    this.#maxOnCancel = { heat: null, cool: null };
    this.relays = { heat: false, cool: false };
  }

  #boot(cause: string, helloLost = false): void {
    this.#powerOff();
    this.#cause = cause;
    this.flags = FLAG.BOOT;
    this.#limits = { ...this.#opts.limits };
    this.#seq = 0;
    this.#rx = '';
    this.#bootUntil = this.clock.now() + this.#opts.bootMs;
    this.#later(this.#opts.bootMs, () => {
      if (helloLost) this.#seq = (this.#seq + 1) & 0xff;
      else this.#hello(this.#cause);
      this.#every(1000, () =>
        this.#send('ST', [bit(this.relays.heat), bit(this.relays.cool), hex2(this.flags)]),
      );
      this.#every(1000, () =>
        this.#later(750, () => {
          for (const [rom, v] of this.sensors) this.#send('T', [rom, v]);
        }),
      );
    });
  }

  #hello(cause: string): void {
    const o = this.#opts;
    const l = this.#limits;
    this.#send('HELLO', [
      o.protocol,
      o.firmware,
      o.version,
      o.profile,
      cause,
      l.heartbeatTimeoutS,
      l.maxOnHeatS,
      l.maxOnCoolS,
      ...this.#helloTail,
    ]);
  }

  #later(ms: number, fn: () => void): void {
    this.#cancels.push(this.timers.after(ms, fn));
  }

  #every(ms: number, fn: () => void): void {
    const tick = () => {
      this.#later(ms, tick);
      fn();
    };
    this.#later(ms, tick);
  }

  #send(type: string, fields: Array<string | number> = []): void {
    const line = encodeFrame(this.#seq, type, fields);
    this.#seq = (this.#seq + 1) & 0xff;
    this.sendRaw(line);
  }

  #receive(text: string): void {
    this.#rx += text;
    for (let i = this.#rx.indexOf('\n'); i >= 0; i = this.#rx.indexOf('\n')) {
      const line = this.#rx.slice(0, i);
      this.#rx = this.#rx.slice(i + 1);
      this.log.push({ at: this.clock.now(), dir: 'host', line });
      if (this.deaf || this.clock.now() < this.#bootUntil) continue;
      const d = decodeLine(line);
      if (d.kind === 'frame') this.#command(d.frame);
      else if (d.kind === 'dropped') this.dropped++;
    }
  }

  #command(f: Frame): void {
    this.received.push(f);
    const ack = (...detail: Array<string | number>) => this.#send('ACK', [f.seq, ...detail]);
    const nak = (reason: string) => this.#send('NAK', [f.seq, reason]);
    switch (f.type) {
      case 'HELLO?':
        this.#hello(this.#cause);
        return;
      case 'HB':
        this.#refreshHeartbeat();
        ack();
        return;
      case 'SCAN':
        ack();
        for (const rom of this.sensors.keys()) this.#send('SENSOR', [rom]);
        this.#send('SCANEND', [this.sensors.size]);
        return;
      case 'CFG':
      case 'OUT': {
        const reply = f.type === 'CFG' ? this.#configure(f) : this.#out(f);
        if (typeof reply === 'string') nak(reply);
        else ack(...reply);
        return;
      }
      default:
        nak('UNKNOWN');
    }
  }

  /** The ACK's details, or the NAK's reason. */
  #configure(f: Frame): number[] | string {
    const values = f.fields.slice(0, 3).map((v) => (/^(0|[1-9][0-9]*)$/.test(v) ? Number(v) : Number.NaN));
    const [hb = Number.NaN, heat = Number.NaN, cool = Number.NaN] = values;
    if (values.length < 3 || values.some(Number.isNaN)) return 'BADARG';
    const c = this.#opts.limits;
    if (
      hb < 2 ||
      hb > c.heartbeatTimeoutS ||
      heat < 1 ||
      heat > c.maxOnHeatS ||
      cool < 1 ||
      cool > c.maxOnCoolS
    ) {
      return 'LIMIT';
    }
    this.#limits = { heartbeatTimeoutS: hb, maxOnHeatS: heat, maxOnCoolS: cool };
    for (const o of ['heat', 'cool'] as const) if (this.relays[o]) this.#armMaxOn(o);
    return [hb, heat, cool];
  }

  #out(f: Frame): number[] | string {
    const [h, c] = f.fields;
    const valid = (v: string | undefined) => v === '0' || v === '1';
    // A well-formed OUT shows the host is alive, even when it is refused.
    this.#refreshHeartbeat();
    if (!valid(h) || !valid(c)) return 'BADARG';
    const want = { heat: h === '1', cool: c === '1' };
    if (want.heat && want.cool) return 'INTERLOCK';
    if (this.refuseOn !== null && (want.heat || want.cool)) return this.refuseOn;
    if ((want.heat && this.flags & FLAG.MAXON_HEAT) || (want.cool && this.flags & FLAG.MAXON_COOL)) {
      return 'MAXON';
    }
    this.flags &= ~(FLAG.BOOT | FLAG.HB_TIMEOUT);
    for (const o of ['heat', 'cool'] as const) if (!want[o]) this.flags &= ~MAXON_FLAG[o];
    // Off before on, as the firmware does.
    for (const o of ['heat', 'cool'] as const) if (!want[o]) this.#switch(o, false);
    for (const o of ['heat', 'cool'] as const) if (want[o]) this.#switch(o, true);
    this.#armHeartbeat();
    return [bit(this.relays.heat), bit(this.relays.cool)];
  }

  #switch(o: Out, on: boolean): void {
    if (this.relays[o] === on) return;
    this.relays = { ...this.relays, [o]: on };
    if (on) {
      this.#onSince[o] = this.clock.now();
      this.#armMaxOn(o);
    } else {
      this.#maxOnCancel[o]?.();
      this.#maxOnCancel[o] = null;
    }
  }

  #armMaxOn(o: Out): void {
    this.#maxOnCancel[o]?.();
    const limitMs = (o === 'heat' ? this.#limits.maxOnHeatS : this.#limits.maxOnCoolS) * 1000;
    const left = Math.max(0, this.#onSince[o] + limitMs - this.clock.now());
    this.#maxOnCancel[o] = this.timers.after(left, () => {
      this.#maxOnCancel[o] = null;
      this.#switch(o, false);
      this.flags |= MAXON_FLAG[o];
      this.#send('FS', [o === 'heat' ? 'MAXON_HEAT' : 'MAXON_COOL']);
    });
  }

  /** Refreshed by HB and OUT once armed; before the first accepted OUT and after a timeout it is not. */
  #refreshHeartbeat(): void {
    if (this.#hbCancel !== null) this.#armHeartbeat();
  }

  /** Armed by every accepted OUT; expiry switches everything off once and disarms. */
  #armHeartbeat(): void {
    this.#hbCancel?.();
    this.#hbCancel = this.timers.after(this.#limits.heartbeatTimeoutS * 1000, () => {
      this.#hbCancel = null;
      this.#switch('heat', false);
      this.#switch('cool', false);
      this.flags |= FLAG.HB_TIMEOUT;
      this.#send('FS', ['HB_TIMEOUT']);
    });
  }
}

const bit = (on: boolean) => (on ? 1 : 0);
const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
