// A pot split for a recipe: the contributions recorded against any version of its lineage (the version
// itself and every version it was made from), shared by splitPot. The latest version by default.
import createError from '@fastify/error';
import type { CommonsStore } from '../commons/store.js';
import type { Viewer } from '../commons/types.js';
import type { LedgerEvent } from './ledger.js';
import { parseAmount } from './money.js';
import { type Contribution, type PotSplit, splitPot } from './pot-split.js';

export const NothingToSplitError = createError<'COBREW_ERR_NOTHING_TO_SPLIT', 409, [string]>(
  'COBREW_ERR_NOTHING_TO_SPLIT',
  'No contribution with points is recorded along the lineage of %s, so there is no one to share with. ' +
    'Library recipes carry no ledger events: fork one, or record contributions first.',
  409,
);

export interface RecipeSplit extends PotSplit {
  recipeId: string;
  versionId: string;
  number: number;
  title: string;
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
  opts: { version?: number },
  viewer: Viewer | null,
): RecipeSplit {
  const cents = parseAmount(amount);
  const recipe = store.getRecipe(recipeId, viewer);
  const number = opts.version ?? recipe.versionCount;
  const version = store.getVersion(recipeId, number, viewer);
  const chain = [...store.ancestors(version.id), { ...version, recipeTitle: recipe.title }];
  const byId = new Map(chain.map((v) => [v.id, v]));
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
    ...splitPot(cents, contributions),
  };
}

/** The split as lines for people: each share, then each contribution behind it. */
export function splitText(split: RecipeSplit): string {
  const lines = [
    `Pot split of ${split.amount} for “${split.title}” version ${split.number}: ${split.totalPoints} points in all.`,
  ];
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
