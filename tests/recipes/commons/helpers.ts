// Shared set-up for commons tests: an in-memory store on a ManualClock, a few people, and small valid
// BeerJSON documents.
import { Value } from '@sinclair/typebox/value';
import { ManualClock } from '../../../common/clock.js';
import type { BoardProfileCheck } from '../../../recipes/commons/hardware.js';
import type { SpaceKey } from '../../../recipes/commons/space-key.js';
import { CommonsStore } from '../../../recipes/commons/store.js';
import type { TrustedSpace } from '../../../recipes/commons/trust.js';
import type { Viewer } from '../../../recipes/commons/types.js';
import type { Tariff } from '../../../recipes/costs/tariff.js';
import { type PotSplitRules, type Weights, WeightsSchema } from '../../../recipes/ledger/rules.js';

export const alice: Viewer = { name: 'alice', admin: false };
export const bob: Viewer = { name: 'bob', admin: false };
export const carol: Viewer = { name: 'carol', admin: false };
export const admin: Viewer = { name: 'root', admin: true };

export const DEFAULT_WEIGHTS = Value.Default(WeightsSchema, {}) as Weights;

export function makeStore(
  opts: {
    clock?: ManualClock;
    space?: { name: string; url?: string };
    weights?: Weights;
    file?: string;
    key?: SpaceKey;
    trustedSpaces?: TrustedSpace[];
    potSplit?: PotSplitRules;
    tariff?: Tariff;
    checkBoardProfile?: BoardProfileCheck;
  } = {},
) {
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 4, 1));
  const store = CommonsStore.open(opts.file ?? ':memory:', {
    clock,
    space: opts.space ?? { name: 'Atelier Test', url: 'https://brew.example.org' },
    weights: opts.weights ?? DEFAULT_WEIGHTS,
    ...(opts.key === undefined ? {} : { key: opts.key }),
    ...(opts.trustedSpaces === undefined ? {} : { trustedSpaces: opts.trustedSpaces }),
    ...(opts.potSplit === undefined ? {} : { potSplit: opts.potSplit }),
    ...(opts.tariff === undefined ? {} : { tariff: opts.tariff }),
    ...(opts.checkBoardProfile === undefined ? {} : { checkBoardProfile: opts.checkBoardProfile }),
  });
  return { store, clock };
}

/** A small valid BeerJSON 1.0 document with one recipe. */
export function beer(name: string, opts: { hopsG?: number; notes?: string } = {}): unknown {
  return {
    beerjson: {
      version: 1,
      recipes: [
        {
          name,
          type: 'all grain',
          author: 'test',
          batch_size: { unit: 'l', value: 20 },
          efficiency: { brewhouse: { unit: '%', value: 72 } },
          ingredients: {
            fermentable_additions: [
              {
                name: 'Pale ale malt',
                type: 'grain',
                color: { unit: 'EBC', value: 6 },
                yield: { potential: { unit: 'sg', value: 1.037 } },
                amount: { unit: 'kg', value: 4.5 },
              },
            ],
            hop_additions: [
              {
                name: 'Cascade',
                alpha_acid: { unit: '%', value: 6 },
                amount: { unit: 'g', value: opts.hopsG ?? 30 },
                timing: { use: 'add_to_boil', time: { unit: 'min', value: 60 } },
              },
            ],
          },
          ...(opts.notes === undefined ? {} : { notes: opts.notes }),
        },
      ],
    },
  };
}

/** beer() with a fermentation: 7 days at 18 °C, then a 2-day ramp to 2 °C (cold crash). */
export function lager(name: string, opts: { crashTime?: boolean } = {}): unknown {
  const doc = beer(name) as { beerjson: { recipes: Record<string, unknown>[] } };
  (doc.beerjson.recipes[0] as Record<string, unknown>).fermentation = {
    name: 'Primary and crash',
    fermentation_steps: [
      {
        name: 'Primary',
        start_temperature: { unit: 'C', value: 18 },
        step_time: { unit: 'day', value: 7 },
      },
      {
        name: 'Cold crash',
        start_temperature: { unit: 'F', value: 64.4 },
        end_temperature: { unit: 'F', value: 35.6 },
        ...(opts.crashTime === false ? {} : { step_time: { unit: 'hr', value: 48 } }),
      },
    ],
  };
  return doc;
}

/** A reference board with a smaller SSR fitted: its own ratings, as board.custom declares them. */
export const SMALL_SSR = {
  basedOn: 'ref-uno-r1',
  name: 'Uno with a 10 A SSR',
  channels: {
    ssr1: {
      type: 'ssr',
      pin: 'D7',
      part: 'zero-cross SSR 10 A, heat sink for 5 A',
      ratedA: 10,
      maxVac: 280,
      // 40 °C of case rise over 1.6 V × 5 °C/W: 5 A continuously.
      dropV: 1.6,
      maxCaseC: 80,
      caseToAirCPerW: 12,
      heatSink: { cPerW: 5, part: 'small clip-on heat sink, 5 °C/W' },
      ambientC: 40,
      surgeA: 100,
    },
  },
};
