// Typed errors of batch costs and of the pot split's cost deduction.
import createError from '@fastify/error';

export const ConsumableNotFoundError = createError<'COBREW_ERR_CONSUMABLE_NOT_FOUND', 404, [string, string]>(
  'COBREW_ERR_CONSUMABLE_NOT_FOUND',
  'Batch %s has no consumable %s. GET /api/batches/<id>/costs lists what is recorded against it.',
  404,
);

export const DeductionOffError = createError<'COBREW_ERR_DEDUCTION_OFF', 409, []>(
  'COBREW_ERR_DEDUCTION_OFF',
  "This space's pot split does not deduct batch costs (commons.potSplit.deductBatchCosts is false). Share " +
    'the amount without a batch, or ask the community to set that rule in cobrew.yaml.',
  409,
);

export const CostsExceedPotError = createError<'COBREW_ERR_COSTS_EXCEED_POT', 409, [string, string, string]>(
  'COBREW_ERR_COSTS_EXCEED_POT',
  'Batch %s cost %s, which leaves nothing of %s to share. Split a larger amount, or without deducting the batch.',
  409,
);

export const BatchNotOfRecipeError = createError<'COBREW_ERR_BATCH_NOT_OF_RECIPE', 400, [string, string]>(
  'COBREW_ERR_BATCH_NOT_OF_RECIPE',
  'Batch %s was not brewed from %s or a version it was made from, so its costs are not this pot’s. Choose a ' +
    'batch of this recipe.',
  400,
);
