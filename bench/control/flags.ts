// Numeric flags of the control benchmarks: a value that is not a number, or is out of its range, stops the
// bench with exit code 2 and a message naming the flag and its range, rather than a run of NaN figures.
import { ControlSchema } from '../../firmware-bridge/config-schema.js';

export class FlagError extends Error {}

export interface FlagRange {
  min: number;
  max: number;
  integer?: boolean;
  unit?: string;
}

const chamberMin = ControlSchema.properties.chamberMinC;

/** The ranges of the benches' numeric flags; the chamber floor's is the config schema's own. */
export const FLAG_RANGES = {
  seed: { min: 1, max: 1_000_000, integer: true },
  'chamber-min': { min: chamberMin.minimum ?? -10, max: chamberMin.maximum ?? 40, unit: '°C' },
  // No schema bound: a share of the flat-out arrival time; 100 already means "coast whenever it lands".
  'arrival-slack': { min: 0, max: 100 },
  // No schema bound: the cascade's pulse sizes, from half a minute to an hour of full power.
  'cool-pulse': { min: 30, max: 3600, unit: 's' },
  'heat-pulse': { min: 10, max: 3600, unit: 's' },
} as const satisfies Record<string, FlagRange>;

export type NumericFlag = keyof typeof FLAG_RANGES;

function describe(r: FlagRange): string {
  const unit = r.unit ? ` ${r.unit}` : '';
  return `${r.integer ? 'an integer' : 'a number'} from ${r.min} to ${r.max}${unit}`;
}

/** The value of `--flag`, checked against its range; throws FlagError naming the flag and the range. */
export function numberFlag(flag: NumericFlag, raw: string): number {
  const r: FlagRange = FLAG_RANGES[flag];
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(v) || v < r.min || v > r.max || (r.integer === true && !Number.isInteger(v)))
    throw new FlagError(`--${flag} ${JSON.stringify(raw)}: must be ${describe(r)}`);
  return v;
}

/** node:util parseArgs's own errors: an unknown flag, or a value it cannot take (`--chamber-min=-7.5`). */
const isParseArgsError = (e: unknown) => String((e as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');

/** Runs a bench's set-up; a bad flag is printed and exits 2, like an unknown scenario. */
export function orExit2<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof FlagError || isParseArgsError(e))) throw e;
    console.error((e as Error).message);
    process.exit(2);
  }
}
