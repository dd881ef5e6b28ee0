// What the InfluxDB mirror logs when something needs a person's attention. Each names the problem and
// the fix; none of them stops cobrew: readings wait in the queue instead.
import createError from '@fastify/error';

/** No answer (down, unreachable, timed out) or a server-side error (5xx, 429). */
export const InfluxUnavailableError = createError(
  'COBREW_ERR_INFLUX_UNAVAILABLE',
  'InfluxDB at %s is unavailable (%s). Readings are kept in %s and sent, oldest first, when it answers; ' +
    'check that the server runs and that influx.url is right.',
);

/** The server answered but will not take our writes: wrong token, organisation or bucket. */
export const InfluxRefusedError = createError(
  'COBREW_ERR_INFLUX_REFUSED',
  'InfluxDB at %s refuses the writes (%s). Readings are kept in %s and sent when it accepts them; check ' +
    'influx.token (it needs write access to the bucket), influx.org and influx.bucket in cobrew.yaml.',
);

/** The server said the data itself is invalid: sending it again cannot help. */
export const InfluxRejectedError = createError(
  'COBREW_ERR_INFLUX_REJECTED',
  "InfluxDB at %s rejected %s readings as invalid (%s); they were dropped from the mirror (cobrew's own " +
    'history keeps them). A field type conflict means another program writes the measurement `fermenter` ' +
    'into this bucket: give cobrew a bucket of its own.',
);

export const InfluxQueueFullError = createError(
  'COBREW_ERR_INFLUX_QUEUE_FULL',
  'The InfluxDB queue %s holds its maximum of %s readings: the oldest are dropped to make room for new ones ' +
    "(cobrew's own history keeps them). Bring InfluxDB back, or raise influx.queueMaxReadings.",
);

/** The queue's disk refused a write (full, read-only, removed): those readings are lost to the mirror. */
export const InfluxQueueUnwritableError = createError(
  'COBREW_ERR_INFLUX_QUEUE_UNWRITABLE',
  "%s readings for InfluxDB could not be kept in %s (%s) and are lost to the mirror (cobrew's own history " +
    'keeps them). Free space on the data directory, or check its permissions.',
);

/** The mirror's worker thread died: a bug, or the process is short of memory. */
export const InfluxMirrorStoppedError = createError(
  'COBREW_ERR_INFLUX_MIRROR_STOPPED',
  'The InfluxDB mirror stopped (%s): readings are no longer mirrored until cobrew restarts. What was queued ' +
    'stays in %s and is sent at the next start; cobrew and its own history go on.',
);
