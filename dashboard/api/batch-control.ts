// The fermenter side of starting a batch (recipes/api/batch-routes.ts): which fermenters exist, and running
// a batch's profile through the same command path as every other command (checked, sent, audited).
import { parseCommand } from '../../broker/commands.js';
import type { FermenterControl } from '../../recipes/api/batch-routes.js';
import { applyCommand, type CommandPath } from './apply-command.js';
import { UnknownFermenterError } from './errors.js';

export function batchControl(fermenters: ReadonlyArray<{ id: string }>, path: CommandPath): FermenterControl {
  return {
    check(fermenterId) {
      if (!fermenters.some((f) => f.id === fermenterId)) throw new UnknownFermenterError(fermenterId);
    },
    async startProfile(fermenterId, steps, user) {
      // The fermenter's own limits (COBREW_ERR_INVALID) apply before anything goes out.
      const command = parseCommand(
        JSON.stringify({
          profile: 'start',
          steps: steps.map(({ type, targetC, durationH }) => ({ type, targetC, durationH })),
        }),
      );
      // The batch just started is the starter's: its rights hold.
      await applyCommand(path, { name: user, role: 'brewer' }, fermenterId, command);
    },
  };
}
