// The `commons:` section of cobrew.yaml: who this space is (named in attributions, bundles and the ledger),
// the ledger's rule table, the spaces it trusts, and whether the living library is loaded.
import { type Static, Type as T } from '@sinclair/typebox';
import { PotSplitRulesSchema, WeightsSchema } from '../ledger/rules.js';
import { TrustedSpaceSchema } from './trust.js';

export const CommonsConfigSchema = T.Object(
  {
    space: T.Object(
      {
        name: T.String({
          default: 'cobrew',
          minLength: 1,
          maxLength: 200,
          description:
            "This space's name, credited in attributions and bundles, e.g. Atelier de brassage du Quartier",
        }),
        url: T.Optional(
          T.String({
            pattern: '^https?://[^\\s<>"]+$',
            maxLength: 500,
            description:
              'Where this cobrew is reachable, e.g. https://brew.example.org: attributions link each version there',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    weights: WeightsSchema,
    trustedSpaces: T.Array(TrustedSpaceSchema, {
      default: [],
      maxItems: 1000,
      description:
        "Spaces whose signed bundles may pass on other spaces' recipes and brew logs (docs/commons.md, " +
        "Bundles). Any signed bundle may bring its own space's; only a recipe's own space adds versions to it",
    }),
    potSplit: PotSplitRulesSchema,
    library: T.Boolean({
      default: true,
      description:
        "Load cobrew's living library (original CC-BY-SA-4.0 recipes) at start; only adds what is missing",
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'The recipe commons: this space, the contribution ledger rules, the library',
  },
);
export type CommonsConfig = Static<typeof CommonsConfigSchema>;
