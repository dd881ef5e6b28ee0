// JSON Schemas of a batch's costs and of the pot split's deduction (see recipes/costs/). Like schemas.ts,
// imported by the front-end for its types: nothing here needs Node.
import { Type as T } from '@sinclair/typebox';
import { CONSUMABLE_KINDS } from '../costs/consumable-kinds.js';
import { TariffSchema } from '../costs/tariff.js';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Money = T.String({ description: 'Decimal amount with two decimals, in the tariff currency' });

export const ConsumableKindSchema = T.Union(
  CONSUMABLE_KINDS.map((k) => T.Literal(k)),
  { description: 'yeast, co2, cleaning or other' },
);

export const NewConsumableSchema = T.Object(
  {
    kind: ConsumableKindSchema,
    name: T.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    quantity: T.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    unit: T.String({ minLength: 1, maxLength: 20, pattern: '\\S', description: 'e.g. sachet, kg, L' }),
    cost: T.String({
      minLength: 1,
      maxLength: 20,
      description: 'What it cost in all: a positive decimal with at most two decimals, e.g. 7.50',
    }),
  },
  { additionalProperties: false },
);

export const ConsumableSchema = T.Object({
  id: T.String(),
  batchId: T.String(),
  kind: ConsumableKindSchema,
  name: T.String(),
  quantity: T.Number(),
  unit: T.String(),
  cost: Money,
  recordedBy: T.String(),
  recordedAt: T.Integer(),
});

export const ConsumableParamsSchema = T.Object({ id: Id, consumableId: Id });

const CostLineSchema = T.Object({ label: T.String(), cost: Money });

export const BatchCostSchema = T.Object({
  batchId: T.String(),
  batchName: T.String(),
  currency: T.String(),
  period: T.Object({ from: T.Integer(), to: T.Integer(), ongoing: T.Boolean() }),
  tariff: TariffSchema,
  energy: T.Object({
    known: T.Boolean(),
    note: T.Union([T.String(), T.Null()]),
    lines: T.Array(
      T.Object({
        fermenterId: T.String(),
        output: T.String(),
        period: T.String({ description: 'single, peak or off-peak' }),
        loadW: T.Number(),
        onHours: T.Number(),
        kWh: T.Number(),
        pricePerKWh: T.Number(),
        cents: T.Integer(),
        cost: Money,
      }),
    ),
    kWh: T.Number(),
    cost: Money,
    undeclared: T.Array(T.Object({ fermenterId: T.String(), output: T.String(), onHours: T.Number() }), {
      description: 'Outputs that ran without a declared power (outputs.<name>.loadW): not in the cost',
    }),
  }),
  consumables: T.Array(ConsumableSchema),
  consumablesCost: Money,
  total: Money,
  lines: T.Array(CostLineSchema, { description: 'Every amount in the total, line by line' }),
});

export const CostExportQuerySchema = T.Object({
  format: T.Union([T.Literal('csv'), T.Literal('json')], { default: 'json' }),
});

export const DeductionSchema = T.Union([
  T.Object({
    batchId: T.String(),
    batchName: T.String(),
    gross: Money,
    lines: T.Array(CostLineSchema),
    total: Money,
    rule: T.String(),
  }),
  T.Null(),
]);

export const PotSplitRulesResponse = T.Object({ deductBatchCosts: T.Boolean() });
