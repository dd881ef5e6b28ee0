// The `commons:` section of cobrew.yaml: who this space is (named in attributions, bundles and the ledger),
// the ledger's rule table, and whether the living library is loaded.
import { type Static, Type as T } from '@sinclair/typebox';
import { PotSplitRulesSchema, WeightsSchema } from '../ledger/rules.js';

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
