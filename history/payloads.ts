// From an MQTT message to what the store records. Payloads come from the network: each is checked against
// the topic contract's schema, and anything else is refused with the reason (the recorder logs and drops it).
import { IncidentSchema } from '../broker/incident-schema.js';
import { FermenterStateSchema } from '../broker/state-schema.js';
import { wireTimeProblem } from '../broker/wire-time.js';
import { InvalidInputError, schemaChecker } from '../common/schema-check.js';
import type { HistoryReading } from './reading.js';
import type { IngestItem } from './store.js';

const checkState = schemaChecker(FermenterStateSchema, 'the state payload');
const checkIncident = schemaChecker(IncidentSchema, 'the incident payload');

export type Decoded = { item: IngestItem } | { refused: string };

/** The fermenter id of `<base>/fermenter/<id>/<leaf>`, or null. */
function fermenterOf(topic: string, base: string, leaf: string): string | null {
  const prefix = `${base}/fermenter/`;
  const suffix = `/${leaf}`;
  if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return null;
  const id = topic.slice(prefix.length, -suffix.length);
  return id === '' || id.includes('/') ? null : id;
}

/** `now`: the receiving clock, which every `at` is checked against (broker/wire-time.ts). */
export function decodeMessage(
  topic: string,
  payload: Buffer,
  baseTopic: string,
  now: number,
): Decoded | null {
  // A replayed state (kept by its bridge while the broker was away) is recorded as a live one.
  const stateOf = fermenterOf(topic, baseTopic, 'state') ?? fermenterOf(topic, baseTopic, 'replay');
  const incidentOf = stateOf === null ? fermenterOf(topic, baseTopic, 'incident') : null;
  const id = stateOf ?? incidentOf;
  // An empty retained message clears a topic: nothing to record.
  if (id === null || payload.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { refused: `not JSON: ${(err as Error).message}` };
  }
  try {
    if (stateOf !== null) {
      const state = checkState(value);
      if (state.id !== id)
        return { refused: `its id ${JSON.stringify(state.id)} is not the topic's ${JSON.stringify(id)}` };
      const late = wireTimeProblem(state.at, now);
      if (late !== null) return { refused: late };
      return {
        item: {
          kind: 'state',
          reading: readingOf(state),
          mode: state.mode,
          profileStep: state.profileStep ?? null,
        },
      };
    }
    const incident = checkIncident(value);
    if (incident.fermenterId !== id) {
      return {
        refused: `its fermenterId ${JSON.stringify(incident.fermenterId)} is not the topic's ${JSON.stringify(id)}`,
      };
    }
    const late = wireTimeProblem(incident.at, now);
    if (late !== null) return { refused: late };
    return { item: { kind: 'incident', incident } };
  } catch (err) {
    if (err instanceof InvalidInputError) return { refused: err.message };
    throw err;
  }
}

type State = ReturnType<typeof checkState>;

/** The numbers of a state; heat and cool become 1 or 0, a null (untrusted probe, no hydrometer) is left out. */
export function readingOf(state: State): HistoryReading {
  const fields: Record<string, number> = {
    heat: state.outputs.heat ? 1 : 0,
    cool: state.outputs.cool ? 1 : 0,
  };
  const optional = {
    beerC: state.beerC,
    chamberC: state.chamberC,
    ambientC: state.ambientC,
    beerSetpointC: state.beerSetpointC,
    chamberSetpointC: state.chamberSetpointC,
    gravity: state.gravity,
    hydrometerBatteryV: state.hydrometerBatteryV,
  };
  for (const [name, v] of Object.entries(optional)) if (v !== null) fields[name] = v;
  return { fermenterId: state.id, at: state.at, fields };
}
