// A recipe version's BeerJSON fermentation steps as cobrew profile steps, so that a batch can start the
// profile its recipe describes (and show it to the brewer first). A step that changes temperature becomes
// a ramp to its end temperature over its time; one that does not, a hold. Free rise is ramped too: the
// fermenter then only stops the beer from rising faster or further than the recipe says.
import { FermentationStepsError } from './errors.js';
import type { BatchStep } from './types.js';

/** BeerJSON 1.0 TimeUnitType, in hours. */
const HOURS: Record<string, number> = { sec: 1 / 3600, min: 1 / 60, hr: 1, day: 24, week: 168 };

/** A recipe has at most this many steps worth running; more is not a fermentation profile. */
const MAX_STEPS = 100;

interface Measure {
  unit?: unknown;
  value?: unknown;
}

function celsius(m: Measure | undefined): number | null {
  if (m === undefined || typeof m.value !== 'number' || !Number.isFinite(m.value)) return null;
  if (m.unit === 'C') return m.value;
  if (m.unit === 'F') return Math.round((((m.value - 32) * 5) / 9) * 100) / 100;
  return null;
}

function hours(m: Measure | undefined): number | null {
  if (m === undefined || typeof m.value !== 'number' || !(m.value >= 0)) return null;
  const per = typeof m.unit === 'string' ? HOURS[m.unit] : undefined;
  return per === undefined ? null : m.value * per;
}

/** The steps of the first recipe's fermentation; throws COBREW_ERR_FERMENTATION_STEPS naming what is missing. */
export function fermentationSteps(document: unknown): BatchStep[] {
  const recipe = (document as { beerjson?: { recipes?: unknown[] } } | null)?.beerjson?.recipes?.[0] as
    | { fermentation?: { fermentation_steps?: unknown } }
    | undefined;
  const steps = recipe?.fermentation?.fermentation_steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw new FermentationStepsError('it has no fermentation steps');
  if (steps.length > MAX_STEPS)
    throw new FermentationStepsError(`it has ${steps.length} steps (at most ${MAX_STEPS})`);
  return steps.map((raw, i) => {
    const s = raw as {
      name?: unknown;
      start_temperature?: Measure;
      end_temperature?: Measure;
      step_time?: Measure;
    };
    const name = typeof s.name === 'string' && s.name !== '' ? s.name : `Step ${i + 1}`;
    const start = celsius(s.start_temperature);
    const end = celsius(s.end_temperature);
    const durationH = hours(s.step_time);
    if (start === null && end === null) {
      throw new FermentationStepsError(`step ${i + 1} (${name}) has no temperature in C or F`);
    }
    if (durationH === null) throw new FermentationStepsError(`step ${i + 1} (${name}) has no step time`);
    const ramp = start !== null && end !== null && end !== start;
    return { name, type: ramp ? 'ramp' : 'hold', targetC: (end ?? start) as number, durationH };
  });
}
