// What the recorder hands the store: accepted states and incidents, decoded from MQTT.
import type { Static } from '@sinclair/typebox';
import type { IncidentSchema } from '../broker/incident-schema.js';
import type { HistoryReading } from './reading.js';

export type Incident = Static<typeof IncidentSchema>;

/** One accepted fermenter state: its numbers, and what the events are detected from. */
export interface StateItem {
  kind: 'state';
  reading: HistoryReading;
  mode: string;
  /** Index of the running profile step, when the bridge publishes it (`profileStep`); otherwise null. */
  profileStep: number | null;
}
export interface IncidentItem {
  kind: 'incident';
  incident: Incident;
}
export type IngestItem = StateItem | IncidentItem;
