// A pot split for a recipe: the contributions recorded against any version of its lineage (the version
// itself and every version it was made from), shared by splitPot. The latest version by default.
import createError from '@fastify/error';
import type { CommonsStore } from '../commons/store.js';
import type { Viewer } from '../commons/types.js';
import type { BatchCost, CostLine } from '../costs/batch-cost.js';
import { BatchNotOfRecipeError, CostsExceedPotError, DeductionOffError } from '../costs/errors.js';
import type { LedgerEvent } from './ledger.js';
import { formatCents, parseAmount } from './money.js';
import { type Contribution, type PotSplit, splitPot } from './pot-split.js';

export const NothingToSplitError = createError<'COBREW_ERR_NOTHING_TO_SPLIT', 409, [string]>(
  'COBREW_ERR_NOTHING_TO_SPLIT',
  'No contribution with points is recorded along the lineage of %s, so there is no one to share with. ' +
    'Library recipes carry no ledger events: fork one, or record contributions first.',
  409,
);

/** A batch's costs taken off the pot before it is shared (commons.potSplit.deductBatchCosts). */
export interface Deduction {
  batchId: string;
  batchName: string;
  /** The amount asked to share, before the deduction; `amount` is what is left and shared. */
  gross: string;
  lines: CostLine[];
  total: string;
  rule: 'commons.potSplit.deductBatchCosts';
}

export interface RecipeSplit extends PotSplit {
  recipeId: string;
  versionId: string;
  number: number;
  title: string;
  deduction: Deduction | null;
}

/** The batch whose costs come off the pot: the version it brewed, and its costs. */
export interface DeductedBatch {
  versionId: string;
  cost: BatchCost;
}

const SUBJECT: Record<LedgerEvent['kind'], string> = {
  version: 'authored',
  fork: 'forked into',
  brewlog: 'brew log of',
  review: 'review of',
  translation: 'translation of',
  profile: 'fermentation profile for',
  hardware: 'hardware for',
};

export function splitRecipePot(
  store: CommonsStore,
  recipeId: string,
  amount: string,
  opts: { version?: number; deduct?: DeductedBatch },
  viewer: Viewer | null,
): RecipeSplit {
  const gross = parseAmount(amount);
  const recipe = store.getRecipe(recipeId, viewer);
  const number = opts.version ?? recipe.versionCount;
  const version = store.getVersion(recipeId, number, viewer);
  const chain = [...store.ancestors(version.id), { ...version, recipeTitle: recipe.title }];
  const byId = new Map(chain.map((v) => [v.id, v]));
  let cents = gross;
  let deduction: Deduction | null = null;
  if (opts.deduct !== undefined) {
    const { cost, versionId } = opts.deduct;
    if (!store.potSplit.deductBatchCosts) throw new DeductionOffError();
    if (!byId.has(versionId)) {
      throw new BatchNotOfRecipeError(cost.batchId, `“${version.title}” version ${number}`);
    }
    const total = cost.lines.reduce((sum, l) => sum + parseAmount(l.cost), 0n);
    if (total >= gross) throw new CostsExceedPotError(cost.batchId, cost.total, formatCents(gross));
    cents = gross - total;
    deduction = {
      batchId: cost.batchId,
      batchName: cost.batchName,
      gross: formatCents(gross),
      lines: cost.lines,
      total: formatCents(total),
      rule: 'commons.potSplit.deductBatchCosts',
    };
  }
  const { events } = store.ledger.list({ versionIds: [...byId.keys()] });
  const contributions = events
    // A contribution its author recorded and no one else confirmed yet is worth nothing.
    .filter((e) => e.weight > 0 && !e.pending)
    .map((e): Contribution => {
      const v = byId.get(e.versionId as string);
      const what = v === undefined ? '' : ` “${v.title}” version ${v.number}`;
      const ref = e.reference === '' ? '' : ` (${e.reference})`;
      return {
        eventId: e.id,
        seq: e.seq,
        at: e.at,
        contributor: e.contributor,
        kind: e.kind,
        subject: `${SUBJECT[e.kind]}${what}${ref}`,
        rule: e.rule.setting,
        weight: e.weight,
      };
    });
  if (contributions.length === 0) throw new NothingToSplitError(`“${version.title}” version ${number}`);
  return {
    recipeId,
    versionId: version.id,
    number,
    title: version.title,
    deduction,
    ...splitPot(cents, contributions),
  };
}

/** The split as lines for people: each share, then each contribution behind it. */
export function splitText(split: RecipeSplit): string {
  const lines: string[] = [];
  const d = split.deduction;
  if (d !== null) {
    lines.push(`Pot of ${d.gross}, less the costs of batch “${d.batchName}” (${d.rule}):`);
    for (const l of d.lines) lines.push(`  - ${l.label}: ${l.cost}`);
    lines.push(`  = ${d.total} deducted; ${d.gross} − ${d.total} = ${split.amount} to share.`);
  }
  lines.push(
    `Pot split of ${split.amount} for “${split.title}” version ${split.number}: ${split.totalPoints} points in all.`,
  );
  for (const s of split.shares) {
    const extra = s.extraCent === 1 ? ` (${s.floor} + 0.01 by largest remainder)` : '';
    lines.push(
      `${s.contributor}: ${s.points}/${split.totalPoints} of ${split.amount} = ${s.exact} → ${s.amount}${extra}`,
    );
    for (const l of s.lines) {
      lines.push(
        `  - ${new Date(l.at).toISOString().slice(0, 10)} ${l.subject}: ${l.rule} = ${l.weight} points → ${l.exact}`,
      );
    }
  }
  lines.push(split.method);
  return `${lines.join('\n')}\n`;
}
