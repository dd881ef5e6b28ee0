// Readings after an incident: the incident itself carries the minute before (context.recent); this keeps
// following the fermenter's states and hands over the next ones, so a report shows both sides.
import type { FermenterState, Incident } from '../types.js';
import type { JournalEntry, Reading } from './entries.js';

/** States kept after each incident: a minute of one-second ticks, as many as the incident has before. */
export const READINGS_AFTER = 60;

type After = Extract<JournalEntry, { kind: 'incident-after' }>;

export class ReadingsAfter {
  readonly #open = new Map<string, Array<{ incident: Incident; readings: Reading[] }>>();

  constructor(
    readonly emit: (entry: After) => void,
    readonly count = READINGS_AFTER,
  ) {}

  incident(incident: Incident): void {
    const list = this.#open.get(incident.fermenterId) ?? [];
    list.push({ incident, readings: [] });
    this.#open.set(incident.fermenterId, list);
  }

  state(s: FermenterState): void {
    const list = this.#open.get(s.id);
    if (list === undefined) return;
    const reading: Reading = {
      at: s.at,
      beer: s.beerC,
      chamber: s.chamberC,
      ambient: s.ambientC,
      outputs: s.outputs,
    };
    for (const o of list) if (s.at >= o.incident.at) o.readings.push(reading);
    const done = list.filter((o) => o.readings.length >= this.count);
    for (const o of done) this.#emit(o);
    const left = list.filter((o) => o.readings.length < this.count);
    if (left.length === 0) this.#open.delete(s.id);
    else this.#open.set(s.id, left);
  }

  /** On stop: what was gathered so far goes out too. */
  flush(): void {
    for (const list of this.#open.values()) for (const o of list) this.#emit(o);
    this.#open.clear();
  }

  #emit(o: { incident: Incident; readings: Reading[] }): void {
    const { incident: i } = o;
    this.emit({
      at: o.readings.at(-1)?.at ?? i.at,
      kind: 'incident-after',
      fermenterId: i.fermenterId,
      incidentId: i.id,
      code: i.code,
      readings: o.readings,
    });
  }
}
