// A batch of items as it crosses to the history worker: the states as one Float64Array (moved, not copied:
// structured cloning thousands of small objects would cost the worker more than writing them), the
// incidents as they are. decodeBatch turns it back into items, for the spool.
import { FIELD_COUNT } from './aggregate.js';
import type { Incident, IngestItem } from './ingest.js';
import { HISTORY_FIELDS } from './reading.js';

/** Per state: fermenter index, at, mode index, profile step, then the fields; NaN stands for null/absent. */
export const STRIDE = 4 + FIELD_COUNT;

export interface EncodedBatch {
  fermenters: string[];
  modes: string[];
  states: Float64Array;
  incidents: Incident[];
}

export function encodeBatch(items: readonly IngestItem[]): EncodedBatch {
  const fermenters: string[] = [];
  const modes: string[] = [];
  const indexOf = (list: string[], name: string) => {
    let i = list.indexOf(name);
    if (i < 0) i = list.push(name) - 1;
    return i;
  };
  const incidents: Incident[] = [];
  let count = 0;
  for (const item of items) if (item.kind === 'state') count++;
  const states = new Float64Array(count * STRIDE);
  let o = 0;
  for (const item of items) {
    if (item.kind === 'incident') {
      incidents.push(item.incident);
      continue;
    }
    const { reading } = item;
    states[o] = indexOf(fermenters, reading.fermenterId);
    states[o + 1] = reading.at;
    states[o + 2] = indexOf(modes, item.mode);
    states[o + 3] = item.profileStep ?? Number.NaN;
    for (let i = 0; i < FIELD_COUNT; i++)
      states[o + 4 + i] = reading.fields[HISTORY_FIELDS[i] as string] ?? Number.NaN;
    o += STRIDE;
  }
  return { fermenters, modes, states, incidents };
}

/** The items of an encoded batch again (incidents first, then the states in order), e.g. to spool them. */
export function decodeBatch(batch: EncodedBatch): IngestItem[] {
  const items: IngestItem[] = batch.incidents.map((incident) => ({ kind: 'incident', incident }));
  const { states } = batch;
  for (let o = 0; o < states.length; o += STRIDE) {
    const fields: Record<string, number> = {};
    for (let i = 0; i < FIELD_COUNT; i++) {
      const v = states[o + 4 + i] as number;
      if (!Number.isNaN(v)) fields[HISTORY_FIELDS[i] as string] = v;
    }
    const step = states[o + 3] as number;
    items.push({
      kind: 'state',
      reading: {
        fermenterId: batch.fermenters[states[o] as number] as string,
        at: states[o + 1] as number,
        fields,
      },
      mode: batch.modes[states[o + 2] as number] as string,
      profileStep: Number.isNaN(step) ? null : step,
    });
  }
  return items;
}
