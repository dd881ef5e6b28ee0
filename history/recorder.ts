// The recorder: an MQTT client (the dashboard's account) that hears every fermenter's state and incidents
// and hands them to the history store, and to the mirror (InfluxDB) when there is one. It never waits for
// the disk: the store's write() only queues.
import type { IClientOptions } from 'mqtt';
import { connected, createClient } from '../broker/client.js';
import type { BrokerLog } from '../broker/log.js';
import { OFFLINE, ONLINE, topicsFor } from '../broker/topics.js';
import { systemClock } from '../broker/wire-time.js';
import type { Clock } from '../common/clock.js';
import { decodeMessage } from './payloads.js';
import type { HistoryMirror } from './reading.js';
import type { IngestItem } from './store.js';

export interface RecorderOptions {
  url: string;
  baseTopic: string;
  /** Where accepted items go: the HistoryService. */
  sink: { write(items: readonly IngestItem[]): void };
  mirror?: HistoryMirror;
  log: BrokerLog;
  /** The fermenters' clock (simulated time when accelerated): a state dated ahead of it is refused. */
  clock?: Clock;
  /** Passed to mqtt.js: the dashboard's { username, password }, and the client id. */
  clientOptions?: IClientOptions;
}

export interface Recorder {
  /** Messages refused since start (not JSON, not matching the schema, wrong id, time out of bounds). */
  refused(): number;
  close(): Promise<void>;
}

export async function startRecorder(opts: RecorderOptions): Promise<Recorder> {
  const topics = topicsFor(opts.baseTopic);
  // A persistent session (clean: false, a stable client id) has the broker keep QoS 1 incidents for the
  // recorder while it reconnects.
  // Its availability tells bridges holding a backlog that someone listens to their replay.
  const availability = topics.recorderAvailability(
    (opts.clientOptions?.clientId ?? 'recorder').replace(/[^A-Za-z0-9_-]+/g, '-'),
  );
  const retained = { qos: 1, retain: true } as const;
  const client = createClient(opts.url, 'hist', {
    clean: false,
    ...opts.clientOptions,
    will: { topic: availability, payload: Buffer.from(OFFLINE), ...retained },
  });
  const clock = opts.clock ?? systemClock;
  let refused = 0;
  client.on('message', (topic, payload) => {
    const decoded = decodeMessage(topic, payload, opts.baseTopic, clock.now());
    if (decoded === null) return;
    if ('refused' in decoded) {
      refused += 1;
      opts.log.warn({ topic, reason: decoded.refused }, 'history: dropped an invalid message');
      return;
    }
    opts.sink.write([decoded.item]);
    if (decoded.item.kind === 'state') opts.mirror?.write([decoded.item.reading]);
  });
  client.on('error', (err) => opts.log.warn({ err, url: opts.url }, 'history recorder: MQTT error'));
  await connected(client);
  // mqtt.js renews these subscriptions by itself after a reconnect, in a connect listener of its own that runs
  // before ours: online is said only once the replays can be heard.
  await client.subscribeAsync({
    [topics.allFermenterStates]: { qos: 0 },
    [topics.allFermenterReplays]: { qos: 1 },
    [topics.fermenterIncident('+')]: { qos: 1 },
  });
  const online = () => client.publish(availability, ONLINE, retained);
  online();
  client.on('connect', online);
  return {
    refused: () => refused,
    async close() {
      client.off('connect', online);
      if (client.connected) await client.publishAsync(availability, OFFLINE, retained).catch(() => {});
      await client.endAsync();
    },
  };
}
