// The `influx:` section of cobrew.yaml (included by app/config/schema.ts): where the history mirror
// writes, and how long it keeps readings while the server is away.
import { type Static, Type as T } from '@sinclair/typebox';

/** http:// or https://, a host, and nothing but an optional port and path after it. */
export const INFLUX_URL_PATTERN = '^https?://[^\\s/?#]+(/[^\\s?#]*)?$';

export const InfluxSchema = T.Object(
  {
    url: T.String({
      pattern: INFLUX_URL_PATTERN,
      description:
        'InfluxDB 2.x/3.x, or anything that accepts its /api/v2/write (VictoriaMetrics), e.g. http://influx.lan:8086',
    }),
    token: T.Optional(
      T.String({
        minLength: 1,
        description:
          'API token allowed to write to the bucket (VictoriaMetrics ignores it). `cobrew config check` never prints it',
      }),
    ),
    org: T.String({ minLength: 1, description: 'InfluxDB organisation (name or id)' }),
    bucket: T.String({ minLength: 1, description: 'InfluxDB bucket the readings go to' }),
    space: T.String({
      default: 'cobrew',
      minLength: 1,
      description: 'Value of the `space` tag on every point: tells spaces apart when several share a bucket',
    }),
    flushIntervalMs: T.Integer({
      default: 1000,
      minimum: 100,
      maximum: 60_000,
      description: 'Readings are sent in batches at least this often',
    }),
    batchSize: T.Integer({
      default: 1000,
      minimum: 1,
      maximum: 10_000,
      description: 'A batch is sent as soon as it holds this many readings',
    }),
    timeoutMs: T.Integer({
      default: 10_000,
      minimum: 500,
      maximum: 120_000,
      description: 'A write that has no answer after this long counts as failed (and is queued)',
    }),
    queueMaxReadings: T.Integer({
      default: 1_000_000,
      minimum: 1,
      description:
        'While InfluxDB is unavailable, readings wait in <data dir>/influx-queue.db, at most this many ' +
        '(about 250 bytes each on disk: 1,000,000 ≈ 250 MB, a weekend of 4 fermenters at one reading a ' +
        "second). When it is full the oldest are dropped; they stay in cobrew's own history",
    }),
    retryMinMs: T.Integer({
      default: 1000,
      minimum: 10,
      description: 'First wait before sending again after a failure; it doubles at each failure',
    }),
    retryMaxMs: T.Integer({
      default: 60_000,
      minimum: 10,
      description: 'Longest wait between two tries while InfluxDB is unavailable',
    }),
  },
  {
    additionalProperties: false,
    description:
      'Mirror every history reading to InfluxDB (measurement `fermenter`, tags `fermenter` and `space`), ' +
      'e.g. for Grafana. Absent: no mirror',
  },
);
export type InfluxSettings = Static<typeof InfluxSchema>;
