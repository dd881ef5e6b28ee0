// One recorded reading: what the recorder hands to the store and to an optional mirror (InfluxDB).

/** The numeric fields recorded per fermenter state (contract B); heat and cool are 0 or 1. */
export const HISTORY_FIELDS = [
  'beerC',
  'chamberC',
  'ambientC',
  'beerSetpointC',
  'chamberSetpointC',
  'heat',
  'cool',
  'gravity',
  'hydrometerBatteryV',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

export interface HistoryReading {
  fermenterId: string;
  /** Epoch milliseconds of the bridge clock. */
  at: number;
  /** Only the fields that had a value in the state; a null (untrusted probe, no hydrometer) is left out. */
  fields: Record<string, number>;
}

/** Receives every reading the recorder accepted, e.g. the InfluxDB mirror. Must not block. */
export interface HistoryMirror {
  write(readings: HistoryReading[]): void;
  close(): Promise<void>;
}
