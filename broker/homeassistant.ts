// Announces each fermenter to Home Assistant by MQTT discovery (retained configs), again whenever Home
// Assistant comes online, and clears the entities of fermenters this bridge no longer runs.
import type { IClientOptions, MqttClient } from 'mqtt';
import { schemaChecker } from '../common/schema-check.js';
import { connected, createClient } from './client.js';
import { type DiscoveryIndex, DiscoveryIndexSchema } from './discovery-index-schema.js';
import {
  type DiscoveredFermenter,
  type DiscoveryMessage,
  discoveryFor,
  isOurDiscoveryTopic,
} from './homeassistant-discovery.js';
import { type BrokerLog, silentLog } from './log.js';
import { ONLINE, topicsFor } from './topics.js';

export interface HomeAssistantOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  url: string;
  baseTopic: string;
  /** Home Assistant's discovery prefix; its birth message arrives on <prefix>/status. */
  discoveryPrefix?: string;
  bridgeId: string;
  fermenters: readonly DiscoveredFermenter[];
  /** cobrew's version, shown on each device page. */
  swVersion?: string;
  log?: BrokerLog;
  /** Passed to mqtt.js, e.g. { username, password } for a broker that wants them. */
  clientOptions?: IClientOptions;
  /**
   * How long start() waits for the retained index of a previous run. It arrives at once when there is one;
   * only the very first start waits this out.
   */
  indexWaitMs?: number;
}

export interface HomeAssistantDiscovery {
  /** The discovery topics published, for logs and tests. */
  readonly topics: readonly string[];
  stop(): Promise<void>;
}

const RETAINED = { qos: 1, retain: true } as const;
const checkIndex = schemaChecker(DiscoveryIndexSchema, 'The Home Assistant discovery index');

export async function startHomeAssistant(opts: HomeAssistantOptions): Promise<HomeAssistantDiscovery> {
  const log = opts.log ?? silentLog;
  const prefix = opts.discoveryPrefix ?? 'homeassistant';
  const topics = topicsFor(opts.baseTopic);
  const indexTopic = topics.bridgeDiscoveryIndex(opts.bridgeId);
  const statusTopic = `${prefix}/status`;
  const ctx = {
    baseTopic: opts.baseTopic,
    discoveryPrefix: prefix,
    bridgeId: opts.bridgeId,
    swVersion: opts.swVersion ?? 'unknown',
  };
  const byFermenter = new Map(opts.fermenters.map((f) => [f.id, discoveryFor(f, ctx)] as const));
  const messages: DiscoveryMessage[] = [...byFermenter.values()].flat();
  const published = messages.map((m) => m.topic);
  const fermenterIndex = (id: string) => `${indexTopic}/${id}`;

  const client = createClient(opts.url, 'ha', { ...opts.clientOptions });
  client.on('error', (err) => log.warn({ err, url: opts.url }, 'Home Assistant discovery: MQTT error'));
  await connected(client);

  const announce = async () => {
    await Promise.all(messages.map((m) => client.publishAsync(m.topic, JSON.stringify(m.config), RETAINED)));
    await Promise.all(
      [...byFermenter].map(([id, ms]) =>
        client.publishAsync(fermenterIndex(id), JSON.stringify({ topics: ms.map((m) => m.topic) }), RETAINED),
      ),
    );
    await client.publishAsync(indexTopic, JSON.stringify({ fermenters: [...byFermenter.keys()] }), RETAINED);
  };
  const announceLogged = (why: string) =>
    announce().then(
      () => log.debug({ why, configs: messages.length }, 'published Home Assistant discovery'),
      (err) => log.warn({ err, why }, 'could not publish Home Assistant discovery'),
    );

  try {
    const waitMs = opts.indexWaitMs ?? 2000;
    const before = parseIndex(await readRetained(client, indexTopic, waitMs), log);
    const beforeTopics = 'topics' in before ? before.topics : [];
    // Fermenters no longer configured, one at a time: a removal is rare and its index is retained.
    for (const id of 'fermenters' in before ? before.fermenters : []) {
      if (byFermenter.has(id)) continue;
      const index = parseIndex(await readRetained(client, fermenterIndex(id), waitMs), log);
      if ('topics' in index) beforeTopics.push(...index.topics);
      await client.publishAsync(fermenterIndex(id), '', RETAINED);
    }
    const current = new Set(published);
    const gone = beforeTopics.filter((t) => !current.has(t) && isOurDiscoveryTopic(t, opts.baseTopic));
    // An empty retained payload deletes the retained config, and Home Assistant removes the entity.
    await Promise.all(gone.map((t) => client.publishAsync(t, '', RETAINED)));
    if (gone.length > 0) log.info({ topics: gone }, 'cleared Home Assistant entities of removed fermenters');
    await announce();
    client.on('message', (topic, payload) => {
      if (topic === statusTopic && payload.toString('utf8') === ONLINE)
        void announceLogged('Home Assistant online');
    });
    // Home Assistant's birth message: it has (re)started and forgotten what was not retained.
    await client.subscribeAsync(statusTopic, { qos: 1 });
  } catch (err) {
    await client.endAsync(true);
    throw err;
  }
  // A broker that restarted without persistence has lost the retained configs.
  client.on('connect', () => void announceLogged('reconnected'));
  log.info({ prefix, fermenters: opts.fermenters.length }, 'Home Assistant discovery published');

  return {
    topics: published,
    stop: () => client.endAsync(),
  };
}

/** The retained payload on `topic`, or null when none arrives within `waitMs`. */
function readRetained(client: MqttClient, topic: string, waitMs: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t === topic) done(payload.toString('utf8'));
    };
    const timer = setTimeout(() => done(null), waitMs);
    let settled = false;
    const done = (value: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.off('message', onMessage);
      client.unsubscribeAsync(topic).then(
        () => resolve(value),
        (err) => reject(err),
      );
    };
    client.on('message', onMessage);
    client.subscribeAsync(topic, { qos: 1 }).catch((err) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      reject(err);
    });
  });
}

function parseIndex(text: string | null, log: BrokerLog): DiscoveryIndex {
  if (text === null || text === '') return { topics: [] };
  try {
    return checkIndex(JSON.parse(text));
  } catch (err) {
    log.warn({ err }, 'ignored an unreadable Home Assistant discovery index; no entities cleared');
    return { topics: [] };
  }
}
