// A small Arduino Uno running ConfigurableFirmata (or StandardFirmata) at the far end of a SerialPortMock,
// answering real Firmata bytes: REPORT_VERSION and REPORT_FIRMWARE at boot and on request, CAPABILITY and
// ANALOG_MAPPING queries, PIN_MODE and DIGITAL_MESSAGE (the relays), and the OneWire sysex (search, select,
// write, read) with DS18B20s behind it that take 750 ms to convert and power up holding 85 °C.

import type { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { SerialDevice } from './serial-device.js';

const REPORT_VERSION = 0xf9;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const PIN_MODE = 0xf4;
const DIGITAL_MESSAGE = 0x90;
const QUERY_FIRMWARE = 0x79;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const ONEWIRE_DATA = 0x73;
const OW = { SEARCH: 0x40, CONFIG: 0x41, SEARCH_REPLY: 0x42, READ_REPLY: 0x43 } as const;
const OW_BIT = { RESET: 0x01, SELECT: 0x04, READ: 0x08, DELAY: 0x10, WRITE: 0x20 } as const;
const MODE = { INPUT: 0, OUTPUT: 1, ANALOG: 2, ONEWIRE: 7, PULLUP: 0x0b } as const;

/** Three DS18B20 ROM codes with valid CRCs (family 0x28 first, CRC last). */
export const ROMS = {
  beer: '28FF4A1B2C3D045A',
  chamber: '28FF11223344AAC5',
  ambient: '28FF55667788BB48',
} as const;

export interface ResponderOptions {
  path: string;
  timers: ManualTimers;
  sketch?: 'ConfigurableFirmata' | 'StandardFirmata';
  /** Milliseconds the bootloader runs after the port opens before the sketch starts. */
  bootMs?: number;
  /** ROM → °C of each DS18B20 on the bus. */
  probes?: Record<string, number>;
  /** The sketch's serial rate: at any other the host's bytes and the board's are garbage to each other. */
  baudRate?: number;
  /** Probes powered from the data line: a conversion completes only while the board holds the line high. */
  parasite?: boolean;
}

/** Firmata's 7-bit packing of 8-bit bytes (as OneWire sysex carries them). */
export function to7Bit(bytes: readonly number[]): number[] {
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc |= (b & 0xff) << bits;
    bits += 8;
    while (bits >= 7) {
      out.push(acc & 0x7f);
      acc >>= 7;
      bits -= 7;
    }
  }
  if (bits > 0) out.push(acc & 0x7f);
  return out;
}

export function from7Bit(encoded: readonly number[]): number[] {
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const e of encoded) {
    acc |= (e & 0x7f) << bits;
    bits += 7;
    if (bits >= 8) {
      out.push(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  }
  return out;
}

function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (let b of bytes) {
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ b) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      b >>= 1;
    }
  }
  return crc;
}

/** A DS18B20 scratchpad at 12-bit resolution holding `c` °C. */
export function scratchpad(c: number): number[] {
  const raw = Math.round(c * 16) & 0xffff;
  const bytes = [raw & 0xff, raw >> 8, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10];
  return [...bytes, crc8(bytes)];
}

const hex = (bytes: readonly number[]) =>
  bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
const bytesOf = (rom: string) =>
  Array.from({ length: 8 }, (_, i) => Number.parseInt(rom.slice(2 * i, 2 * i + 2), 16));

const UNO_PINS = 20;

export class FirmataResponder extends SerialDevice {
  readonly sketch: 'ConfigurableFirmata' | 'StandardFirmata';
  /** Current temperature at each probe (°C); remove one to unplug it from the bus. */
  readonly probes: Map<string, number>;
  /** Probes whose scratchpad arrives with a flipped bit (a noisy cable). */
  readonly noisy = new Set<string>();
  /** Every host message, as its first bytes, for checking what the driver sent. */
  readonly heard: number[][] = [];
  pinModes = new Map<number, number>();
  /** Digital port values as last written (8 pins each). */
  ports = Array.from({ length: 3 }, () => 0);
  /** OneWire: conversions started and scratchpads read. */
  conversions = 0;
  reads = 0;
  /** The ONEWIRE config's power flag, as last sent by the host. */
  powerFlag = false;
  /** When each conversion started and when its scratchpad was read (ms), for the wait the host gave it. */
  readonly conversionReads: number[] = [];
  readonly #baudRate: number | undefined;
  readonly #parasite: boolean;
  #convertedAt = 0;
  #versionLost = false;
  #bootMs: number;
  #rx: number[] = [];
  #pads = new Map<string, number[]>();
  #selected: string | null = null;
  #booted = false;

  constructor(opts: ResponderOptions) {
    super(opts.path, opts.timers);
    this.sketch = opts.sketch ?? 'ConfigurableFirmata';
    this.#bootMs = opts.bootMs ?? 0;
    this.#baudRate = opts.baudRate;
    this.#parasite = opts.parasite ?? false;
    this.probes = new Map(
      Object.entries(opts.probes ?? { [ROMS.beer]: 19.5, [ROMS.chamber]: 17.25, [ROMS.ambient]: 21.0625 }),
    );
  }

  /** The level on a digital pin (0 or 1), and whether it is an output at all. */
  pin(pin: number): { mode: number | undefined; level: number } {
    return { mode: this.pinModes.get(pin), level: ((this.ports[pin >> 3] ?? 0) >> (pin & 7)) & 1 };
  }

  /** A watchdog or brown-out reset with the port open; `versionLost`: noise eats its REPORT_VERSION. */
  reset(opts: { versionLost?: boolean } = {}): void {
    this.#versionLost = opts.versionLost ?? false;
    this.restart();
  }

  protected boot(): void {
    this.#booted = false;
    this.#rx = [];
    this.#selected = null;
    this.pinModes = new Map();
    this.ports = this.ports.map(() => 0);
    // Every probe powers up holding 85 °C until its first conversion.
    this.#pads = new Map([...this.probes.keys()].map((rom) => [rom, scratchpad(85)]));
    this.later(this.#bootMs, () => {
      this.#booted = true;
      if (!this.#rateMatches()) {
        // What the sketch sends at its own rate reaches the host as framing errors and stray bytes.
        this.emit([0x00, 0x3f, 0x55]);
        return;
      }
      if (this.#versionLost) {
        this.#versionLost = false;
        return;
      }
      this.#version();
      this.#firmware();
    });
  }

  protected powerOff(): void {
    this.#booted = false;
    this.pinModes = new Map();
    this.ports = this.ports.map(() => 0);
  }

  protected hear(bytes: Buffer): void {
    // The bootloader swallows what the host sends before the sketch runs; at another rate it is noise.
    if (!this.#booted || !this.#rateMatches()) return;
    for (const b of bytes) this.#byte(b);
  }

  #rateMatches(): boolean {
    return this.#baudRate === undefined || this.#baudRate === this.hostBaud;
  }

  #byte(b: number): void {
    const rx = this.#rx;
    if (b & 0x80 && b !== END_SYSEX) {
      rx.length = 0;
    }
    rx.push(b);
    const first = rx[0] as number;
    if (first === START_SYSEX) {
      if (b === END_SYSEX) this.#message(rx.splice(0));
      return;
    }
    if (first === REPORT_VERSION) {
      this.#message(rx.splice(0));
      return;
    }
    const need = first === PIN_MODE || (first & 0xf0) === DIGITAL_MESSAGE ? 3 : 0;
    if (need === 0) rx.length = 0;
    else if (rx.length === need) this.#message(rx.splice(0));
  }

  #message(m: number[]): void {
    this.heard.push(m);
    const first = m[0] as number;
    if (first === REPORT_VERSION) {
      this.#version();
      return;
    }
    if (first === PIN_MODE) {
      this.pinModes.set(m[1] as number, m[2] as number);
      return;
    }
    if ((first & 0xf0) === DIGITAL_MESSAGE) {
      this.ports[first & 0x0f] = ((m[1] as number) | ((m[2] as number) << 7)) & 0xff;
      return;
    }
    const command = m[1];
    if (command === QUERY_FIRMWARE) this.#firmware();
    else if (command === CAPABILITY_QUERY) this.#capabilities();
    else if (command === ANALOG_MAPPING_QUERY) {
      this.#sysex(ANALOG_MAPPING_RESPONSE, [
        ...Array.from({ length: 14 }, () => 0x7f),
        ...Array.from({ length: UNO_PINS - 14 }, (_, i) => i),
      ]);
    } else if (command === ONEWIRE_DATA && this.sketch === 'ConfigurableFirmata')
      this.#oneWire(m.slice(2, -1));
  }

  #version(): void {
    this.emit([REPORT_VERSION, 2, 7]);
  }

  #firmware(): void {
    const name = [...Buffer.from(`${this.sketch}.ino`, 'latin1')].flatMap((c) => [c & 0x7f, c >> 7]);
    this.#sysex(QUERY_FIRMWARE, [2, 10, ...name]);
  }

  #capabilities(): void {
    const body: number[] = [];
    for (let p = 0; p < UNO_PINS; p++) {
      // Pins 0 and 1 carry the serial line.
      if (p >= 2) {
        body.push(MODE.INPUT, 1, MODE.OUTPUT, 1, MODE.PULLUP, 1);
        if (this.sketch === 'ConfigurableFirmata') body.push(MODE.ONEWIRE, 1);
        if (p >= 14) body.push(MODE.ANALOG, 10);
      }
      body.push(0x7f);
    }
    this.#sysex(CAPABILITY_RESPONSE, body);
  }

  #oneWire([sub, pin, ...encoded]: number[]): void {
    if (sub === undefined || pin === undefined) return;
    if (sub === OW.CONFIG) {
      this.powerFlag = encoded[0] === 1;
      return;
    }
    if (sub === OW.SEARCH) {
      const roms = [...this.probes.keys()].flatMap(bytesOf);
      this.#sysex(ONEWIRE_DATA, [OW.SEARCH_REPLY, pin, ...to7Bit(roms)]);
      return;
    }
    const data = from7Bit(encoded);
    if (sub & OW_BIT.RESET) this.#selected = null;
    if (sub & OW_BIT.SELECT) this.#selected = hex(data.slice(0, 8));
    const write = data.slice(16);
    if (sub & OW_BIT.WRITE && write[0] === 0x44) this.#convert();
    if (sub & OW_BIT.READ) {
      const n = (data[8] ?? 0) | ((data[9] ?? 0) << 8);
      const corr = [data[10] ?? 0, data[11] ?? 0];
      this.reads++;
      if (this.#convertedAt > 0) this.conversionReads.push(this.clock.now() - this.#convertedAt);
      this.#sysex(ONEWIRE_DATA, [OW.READ_REPLY, pin, ...to7Bit([...corr, ...this.#readPad(n)])]);
    }
  }

  #convert(): void {
    const rom = this.#selected;
    if (rom === null || !this.probes.has(rom)) return;
    this.conversions++;
    this.#convertedAt = this.clock.now();
    // A parasite-powered probe whose line is not held high browns out mid-conversion and keeps its old pad.
    if (this.#parasite && !this.powerFlag) return;
    this.later(750, () => {
      const c = this.probes.get(rom);
      if (c !== undefined) this.#pads.set(rom, scratchpad(c));
    });
  }

  /** The selected probe's scratchpad; with no probe answering, the pulled-up bus reads all ones. */
  #readPad(n: number): number[] {
    const rom = this.#selected;
    const pad = rom !== null && this.probes.has(rom) ? [...(this.#pads.get(rom) ?? scratchpad(85))] : null;
    if (pad === null) return Array.from({ length: n }, () => 0xff);
    if (rom !== null && this.noisy.has(rom)) pad[0] = (pad[0] as number) ^ 0x04;
    return pad.slice(0, n);
  }

  #sysex(command: number, body: readonly number[]): void {
    this.emit([START_SYSEX, command, ...body, END_SYSEX]);
  }
}
