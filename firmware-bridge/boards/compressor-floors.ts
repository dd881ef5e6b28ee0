// The compressor protection no configuration may go below on a real board. The reference firmware enforces
// the same figures itself (firmware/src/limits.h, reported in HELLO; a test keeps them equal), so a guard
// configured at or above them is never refused by the board; on Firmata and BrewPi boards the guard is the
// only protection, so the floors matter even more there.
import type { FermenterConfig } from '../config-schema.js';

/** Restarting against head pressure stalls the motor; BrewPi's firmware waits 300 s too. */
export const COMPRESSOR_MIN_OFF_S = 300;
/** Short runs never let the oil return to the compressor. */
export const COMPRESSOR_MIN_ON_S = 60;
/** Heat right after cooling (or the reverse) fights itself and restarts the compressor against pressure. */
export const COMPRESSOR_DEAD_S = 300;

export interface FloorRefusal {
  key: string;
  rating: string;
  fix: string;
}

/** The safety timings below the floors, for a fermenter whose cooling output is a compressor. */
export function compressorFloorRefusals(config: FermenterConfig): FloorRefusal[] {
  const cool = config.outputs.cool;
  if (!cool.enabled || cool.kind !== 'compressor') return [];
  const s = config.safety;
  const floors: Array<[string, number, number, string]> = [
    ['safety.cool.minOffS', s.cool.minOffS, COMPRESSOR_MIN_OFF_S, 'off before it may restart'],
    ['safety.cool.minOnS', s.cool.minOnS, COMPRESSOR_MIN_ON_S, 'on once started'],
    ['safety.interlockDeadS', s.interlockDeadS, COMPRESSOR_DEAD_S, 'between heating and cooling'],
  ];
  return floors
    .filter(([, value, floor]) => value < floor)
    .map(([key, value, floor, what]) => ({
      key,
      rating: `${value} s is below the ${floor} s a compressor must stay ${what} (the reference firmware refuses anything shorter)`,
      fix: `set ${key} to ${floor} or more (the default is safe), or declare outputs.cool.kind: resistive if the cooling output drives no motor`,
    }));
}
