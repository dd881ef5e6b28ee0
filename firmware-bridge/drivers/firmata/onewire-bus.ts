// DS18B20 probes on a ConfigurableFirmata OneWire bus, driven byte by byte from the host: search, then for
// every sample start a conversion on each probe, wait the conversion time, and read each scratchpad.
import type firmataIo from 'firmata-io';
import { validRom } from '../line/messages.js';
import {
  CONVERSION_WAIT_MS,
  CONVERT_T,
  DS18B20_FAMILY,
  decodeScratchpad,
  PARASITE_CONVERSION_WAIT_MS,
  READ_SCRATCHPAD,
  romBytes,
  romHex,
  SCRATCHPAD_BYTES,
  type Scratchpad,
} from './ds18b20.js';
import type { Scope } from './scope.js';

/** The OneWire calls of firmata-io's Board (and of mock-firmata's, whose calls tests stub). */
export type OneWireIo = Pick<
  firmataIo.Firmata,
  | 'sendOneWireConfig'
  | 'sendOneWireSearch'
  | 'sendOneWireReset'
  | 'sendOneWireWrite'
  | 'sendOneWireWriteAndRead'
>;

/** One probe's sample: its decoded scratchpad, or null when the board did not answer in time. */
export type ProbeResult = Scratchpad | null;

export class Ds18b20Bus {
  constructor(
    readonly io: OneWireIo,
    readonly pin: number,
    readonly scope: Scope,
    /** How long one OneWire request may wait for the board's reply. */
    readonly answerMs: number,
    /**
     * Probes powered from the data line: the board holds the line high after each write (Firmata's ONEWIRE
     * config `power` flag), so a converting probe has its current, and the wait is longer.
     */
    readonly parasite = false,
  ) {}

  /** Makes the pin the bus master, holding the line high after writes for parasite-powered probes. */
  configure(): void {
    this.io.sendOneWireConfig(this.pin, this.parasite);
  }

  /** DS18B20 ROM codes on the bus (valid CRC only), in bus order; null when the board did not answer. */
  async search(): Promise<string[] | null> {
    const devices = await this.scope.within<number[][]>(this.answerMs, (deliver) =>
      this.io.sendOneWireSearch(this.pin, (err, found) => {
        if (err === null && found !== undefined) deliver(found);
      }),
    );
    if (devices === null) return null;
    return devices
      .filter((d) => d.length === 8 && d[0] === DS18B20_FAMILY)
      .map(romHex)
      .filter(validRom);
  }

  /** Converts on every probe at once (each is selected in turn), waits once, then reads each scratchpad. */
  async sample(roms: readonly string[]): Promise<Map<string, ProbeResult>> {
    const results = new Map<string, ProbeResult>();
    for (const rom of roms) {
      this.io.sendOneWireReset(this.pin);
      this.io.sendOneWireWrite(this.pin, romBytes(rom), CONVERT_T);
    }
    if (!(await this.scope.sleep(this.parasite ? PARASITE_CONVERSION_WAIT_MS : CONVERSION_WAIT_MS)))
      return results;
    for (const rom of roms) {
      this.io.sendOneWireReset(this.pin);
      const bytes = await this.scope.within<number[]>(this.answerMs, (deliver) =>
        this.io.sendOneWireWriteAndRead(
          this.pin,
          romBytes(rom),
          READ_SCRATCHPAD,
          SCRATCHPAD_BYTES,
          (err, data) => {
            if (err === null && data !== undefined) deliver(data);
          },
        ),
      );
      if (this.scope.ended) return results;
      results.set(rom, bytes === null ? null : decodeScratchpad(bytes));
    }
    return results;
  }
}
