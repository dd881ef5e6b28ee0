// The dashboard hears fermenters the way any other MQTT client would: by subscribing to their state topics.
import type { IClientOptions } from 'mqtt';
import { connected, createClient } from '../broker/client.js';
import type { BrokerLog } from '../broker/log.js';
import { topicsFor } from '../broker/topics.js';
import { StateStore } from './state-store.js';

export interface StateFeedOptions {
  url: string;
  baseTopic: string;
  log: BrokerLog;
  /** Passed to mqtt.js: the dashboard's { username, password }. */
  clientOptions?: IClientOptions;
}

export interface StateFeed {
  readonly store: StateStore;
  connected(): boolean;
  close(): Promise<void>;
}

export async function startStateFeed(opts: StateFeedOptions): Promise<StateFeed> {
  const topics = topicsFor(opts.baseTopic);
  const store = new StateStore(topics);
  const client = createClient(opts.url, 'dash', { ...opts.clientOptions });
  client.on('message', (topic, payload) => {
    const result = store.ingest(topic, payload);
    if (!result.accepted) opts.log.warn({ topic, reason: result.reason }, 'dropped an invalid state message');
  });
  client.on('error', (err) => opts.log.warn({ err, url: opts.url }, 'dashboard: MQTT error'));
  await connected(client);
  // mqtt.js renews this subscription by itself after a reconnect.
  await client.subscribeAsync(topics.allFermenterStates, { qos: 0 });
  return {
    store,
    connected: () => client.connected,
    close: () => client.endAsync(),
  };
}
