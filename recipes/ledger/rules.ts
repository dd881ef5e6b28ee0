// The ledger's rule table: how many points each kind of contribution is worth. The community agrees on it
// and writes it in cobrew.yaml (`commons.weights`); it is shown to everyone, and every ledger event keeps
// the rule and the whole table it was weighed with, so a later change never rewrites the past.
import { type Static, Type as T } from '@sinclair/typebox';

export const CONTRIBUTION_KINDS = [
  'version',
  'fork',
  'brewlog',
  'review',
  'translation',
  'profile',
  'hardware',
] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

/** Kinds the commons records by itself; the others are recorded by a brewer or an admin. */
export const AUTOMATIC_KINDS: readonly ContributionKind[] = ['version', 'fork', 'brewlog'];

const weight = (def: number, description: string) =>
  T.Integer({
    default: def,
    minimum: 0,
    maximum: 1000,
    description: `${description} (points; default ${def})`,
  });

export const WeightsSchema = T.Object(
  {
    version: weight(10, 'A version of a recipe authored here: the recipe work itself'),
    fork: weight(5, 'A fork: a new recipe adapted from a version'),
    brewlog: weight(4, 'A brew log published: the recipe tested for real, data for everyone'),
    review: weight(1, 'A review or comment on a recipe version'),
    translation: weight(3, "A translation of a recipe version's text"),
    profile: weight(3, 'A fermentation profile contributed for a recipe version'),
    hardware: weight(5, 'Hardware (a fermenter, a board, a design) contributed to brew a recipe version'),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      "Points per contribution, agreed by the community. A pot split shares an amount among a recipe's " +
      'lineage in proportion to these points. A contribution someone records for themselves counts once ' +
      'another brewer or an admin confirms it',
  },
);
export type Weights = Static<typeof WeightsSchema>;

export const PotSplitRulesSchema = T.Object(
  {
    deductBatchCosts: T.Boolean({
      default: false,
      description:
        "Whether a pot split may first take a batch's costs (its energy and consumables) off the amount, " +
        'then share what is left; the explanation lists every deducted line',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'How a pot split is worked out, agreed by the community',
  },
);
export type PotSplitRules = Static<typeof PotSplitRulesSchema>;

/** What a ledger event keeps of the rules it was weighed with. */
export interface AppliedRule {
  /** The setting in cobrew.yaml, e.g. `commons.weights.version`. */
  setting: string;
  weight: number;
  /** The whole table at that moment. */
  table: Weights;
}

export function applyRule(weights: Weights, kind: ContributionKind): AppliedRule {
  return { setting: `commons.weights.${kind}`, weight: weights[kind], table: { ...weights } };
}

export function isContributionKind(value: string): value is ContributionKind {
  return (CONTRIBUTION_KINDS as readonly string[]).includes(value);
}
