// Rights follow the batch: the owner and co-brewers of the batch on a fermenter control it, admins always
// may, other brewers only view it; a fermenter without a batch is controlled by any brewer.
import type { RequestUser } from '../../common/http-access.js';
import type { FermenterBatch } from '../../recipes/commons/types.js';
import { NotYourBatchError } from './errors.js';

/** Who holds a fermenter now (the commons' batches); null when it is free. */
export interface BatchHolders {
  onFermenter(fermenterId: string): FermenterBatch | null;
}

/** Throws COBREW_ERR_NOT_YOUR_BATCH, naming the batch and its owner, when `user` may not control it. */
export function checkBatchRights(
  holders: BatchHolders | undefined,
  fermenterId: string,
  user: RequestUser,
): void {
  if (holders === undefined || user.role === 'admin') return;
  const batch = holders.onFermenter(fermenterId);
  if (batch === null || batch.owner === user.name || batch.coBrewers.includes(user.name)) return;
  throw new NotYourBatchError(
    fermenterId,
    batch.name,
    batch.owner,
    batch.coBrewers.length === 0 ? 'none' : batch.coBrewers.join(', '),
  );
}
