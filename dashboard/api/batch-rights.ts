// Rights follow the batch (recipes/commons/batches.ts): a command to a fermenter holding a batch comes from
// its owner, a co-brewer or an admin; other brewers only view it; a free fermenter is every brewer's.
import type { RequestUser } from '../../common/http-access.js';
import type { Batches } from '../../recipes/commons/batches.js';

/** Who may control each fermenter now: the commons' batches. */
export type BatchHolders = Pick<Batches, 'controlRefusal'>;

/** Throws COBREW_ERR_NOT_YOUR_BATCH, naming the batch and its owner, when `user` may not control it. */
export function checkBatchRights(
  holders: BatchHolders | undefined,
  fermenterId: string,
  user: RequestUser,
): void {
  const refusal = holders?.controlRefusal(fermenterId, { name: user.name, admin: user.role === 'admin' });
  if (refusal) throw refusal;
}
