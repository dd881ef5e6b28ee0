// Only the reference firmware protects the outputs by itself (heartbeat, max on-time, compressor timing,
// over-temperature). A Firmata board keeps its pins as last written when cobrew stops or hangs, and a BrewPi
// board runs its own control with no host-loss timeout: cobrew's guard is their only protection, and every
// place that describes a board says so plainly.
import type { FermenterConfig } from '../config-schema.js';

const WHY: Record<string, string> = {
  firmata: 'if cobrew stops or hangs, the pins stay as last written (a heater stays on)',
  brewpi: 'if cobrew stops or hangs, the board runs its own control on its stored settings',
};

/** "no board failsafe: …" for a board without one; null for the reference firmware and the simulator. */
export function noBoardFailsafe(board: FermenterConfig['board']): string | null {
  const why = WHY[board.type];
  return why === undefined ? null : `no board failsafe: ${why}; only cobrew's guard protects this fermenter`;
}

/** One line per fermenter without a board failsafe, for `cobrew start` and `cobrew config check`. */
export function noBoardFailsafeLines(fermenters: readonly FermenterConfig[]): string[] {
  return fermenters.flatMap((f) => {
    const notice = noBoardFailsafe(f.board);
    return notice === null || f.board.type === 'sim'
      ? []
      : [`${f.id} (${f.board.type} on ${f.board.port}): ${notice}`];
  });
}
