// Every check a fleet's boards must pass before anything is driven: ratings against profiles, then what
// cannot work whatever the ratings. `cobrew config check` and `cobrew start` both call `assertBoardSetup`.
import type { FermenterConfig } from '../config-schema.js';
import { BoardSetupError } from './errors.js';
import { assertRatings, isRealBoard } from './rating.js';

export function setupProblems(fermenters: readonly FermenterConfig[], opts: { speed: number }): string[] {
  const problems: string[] = [];
  const ports = new Map<string, string>();
  for (const f of fermenters) {
    if (!isRealBoard(f.board)) continue;
    const other = ports.get(f.board.port);
    if (other !== undefined) {
      problems.push(
        `  - ${f.id}: board.port ${f.board.port} is already the board of ${other}; one board drives one fermenter, give each its own port`,
      );
    } else ports.set(f.board.port, f.id);
    if (opts.speed !== 1) {
      problems.push(
        `  - ${f.id}: sim.speed is ${opts.speed}, but a ${f.board.type} board runs in real time; set sim.speed to 1 (it only speeds up simulated boards)`,
      );
    }
  }
  return problems;
}

/** Throws COBREW_ERR_BOARD_RATING or COBREW_ERR_BOARD_SETUP naming every problem; returns when all is well. */
export function assertBoardSetup(fermenters: readonly FermenterConfig[], opts: { speed: number }): void {
  assertRatings(fermenters);
  const problems = setupProblems(fermenters, opts);
  if (problems.length > 0) throw new BoardSetupError(problems.join('\n'));
}
