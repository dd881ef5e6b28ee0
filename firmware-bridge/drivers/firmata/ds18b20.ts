// DS18B20 facts the host needs when the board only relays OneWire bytes (ConfigurableFirmata): commands,
// conversion time, and turning a 9-byte scratchpad into °C with its CRC checked.
import { crc8 } from '../line/codec.js';

export const DS18B20_FAMILY = 0x28;
export const CONVERT_T = 0x44;
export const READ_SCRATCHPAD = 0xbe;
export const SCRATCHPAD_BYTES = 9;
/** Conversion time at 12-bit resolution, the power-on default. */
export const CONVERSION_MS = 750;
/** The host's wait: the probe starts converting only when the command has crossed the serial line. */
export const CONVERSION_WAIT_MS = CONVERSION_MS + 50;
/**
 * On parasite power a probe draws its conversion current through the pull-up and the held-high data line,
 * and cannot say when it is done: the host waits with a wider margin.
 */
export const PARASITE_CONVERSION_WAIT_MS = CONVERSION_MS + 250;

/** CRC-8/MAXIM over bytes: the same CRC as the line protocol's, which covers text. */
export function oneWireCrc(bytes: readonly number[]): number {
  return crc8(String.fromCharCode(...bytes.map((b) => b & 0xff)));
}

/** ROM bytes as the line protocol and cobrew.yaml write them: 16 upper-case hex digits, family code first. */
export function romHex(rom: readonly number[]): string {
  return rom.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

export function romBytes(hex: string): number[] {
  return Array.from({ length: hex.length / 2 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

export type Scratchpad =
  | { ok: true; celsius: number }
  /** blank: all 0x00 or all 0xFF, a shorted or open bus (all zeros would even pass the CRC). */
  | { ok: false; reason: 'length' | 'blank' | 'crc' };

/**
 * Decodes a scratchpad: temperature LSB, MSB (signed, 1/16 °C), …, configuration (byte 4), …, CRC (byte 8).
 * Below 12-bit resolution the low bits are undefined and are masked off.
 */
export function decodeScratchpad(bytes: readonly number[]): Scratchpad {
  if (bytes.length !== SCRATCHPAD_BYTES) return { ok: false, reason: 'length' };
  if (bytes.every((b) => b === 0x00) || bytes.every((b) => b === 0xff)) return { ok: false, reason: 'blank' };
  if (oneWireCrc(bytes.slice(0, 8)) !== bytes[8]) return { ok: false, reason: 'crc' };
  const lsb = bytes[0] as number;
  const msb = bytes[1] as number;
  const resolutionBits = 9 + (((bytes[4] as number) >> 5) & 0x03);
  let raw = (((msb << 8) | lsb) << 16) >> 16;
  raw &= ~((1 << (12 - resolutionBits)) - 1);
  return { ok: true, celsius: raw / 16 };
}
