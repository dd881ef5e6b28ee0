// A person's command to a fermenter, from any route: checked against the batch's rights, sent to the bridge,
// and written to the audit log however it ends (refusals included).
import type { Command } from '../../broker/command-schema.js';
import type { RequestUser } from '../../common/http-access.js';
import type { AuditLog } from '../accounts/audit.js';
import { type BatchHolders, checkBatchRights } from './batch-rights.js';
import type { CommandSender } from './command-sender.js';
import { CommandRefusedError } from './errors.js';

export interface CommandPath {
  commands: CommandSender;
  audit: AuditLog;
  /** The commons' batches; without them every brewer controls every fermenter. */
  batches?: BatchHolders;
}

/** The bridge's transaction once it applied the command; otherwise the typed error, audited. */
export async function applyCommand(
  path: CommandPath,
  user: RequestUser,
  fermenterId: string,
  command: Command,
): Promise<string> {
  const record = (
    result: 'ok' | 'refused' | 'timeout' | 'unsent',
    error: { code: string; message: string } | null,
  ) => path.audit.record({ user: user.name, fermenterId, command, result, error });
  try {
    checkBatchRights(path.batches, fermenterId, user);
  } catch (err) {
    const { code, message } = err as { code: string; message: string };
    record('refused', { code, message });
    throw err;
  }
  let answer: Awaited<ReturnType<CommandSender['send']>>;
  try {
    // The person is known here: the bridge keeps their name with the fermenter's stored intent, and checks
    // it against the batch where the broker cannot (an external one).
    const { byAdmin: _, ...asked } = command;
    const who = user.role === 'admin' ? { by: user.name, byAdmin: true as const } : { by: user.name };
    answer = await path.commands.send(fermenterId, { ...asked, ...who });
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    record(code === 'COBREW_ERR_BRIDGE_TIMEOUT' ? 'timeout' : 'unsent', { code: code ?? 'unknown', message });
    throw err;
  }
  if (answer.status === 'error') {
    const error = answer.error ?? { code: 'COBREW_ERR_COMMAND_FAILED', message: 'The bridge refused it' };
    record('refused', error);
    throw new CommandRefusedError(error.code, error.message);
  }
  record('ok', null);
  return answer.transaction;
}
