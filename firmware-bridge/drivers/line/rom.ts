// Probe addresses as people write them (28-ff4a…, 28:FF:4A…) to the protocol's 16 upper-case hex digits.
import { ProbeRomError } from './errors.js';
import { validRom } from './messages.js';

export function normaliseRom(probe: string, rom: string): string {
  const hex = rom.replace(/[\s:-]/g, '').toUpperCase();
  if (!validRom(hex)) throw new ProbeRomError(probe, rom);
  return hex;
}
