// A history reading as one line of InfluxDB line protocol: measurement `fermenter`, tags `fermenter` and
// `space`, one float field per value, a timestamp in milliseconds (the writes say precision=ms).
import { Point } from '@influxdata/influxdb-client';
import type { HistoryReading } from '../reading.js';

export const MEASUREMENT = 'fermenter';

/** The line, or undefined when the reading has no finite value (line protocol has no NaN or Infinity). */
export function readingToLine(reading: HistoryReading, space: string): string | undefined {
  const point = new Point(MEASUREMENT).tag('fermenter', reading.fermenterId).tag('space', space);
  for (const [name, value] of Object.entries(reading.fields)) {
    // floatField even for 0/1 outputs: a field keeps one type for the life of a bucket.
    if (Number.isFinite(value)) point.floatField(name, value);
  }
  return point.timestamp(Math.round(reading.at)).toLineProtocol();
}
