// A secured embedded broker with one user of each role, real mqtt.js clients, and a well-behaved pair of
// clients to check after every refusal that the broker still serves the others.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { addUser, type NewUser, UserDirectory, usersFile } from '../../broker/credentials.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded.js';
import type { BrokerLimits } from '../../broker/limits.js';
import type { BrokerLog } from '../../broker/log.js';
import { waitFor } from './helpers.js';

/** Cheap hashes: the tests log in hundreds of times; the cost itself is checked in credentials.test.ts. */
export const TEST_COST = { N: 1024, r: 8, p: 1 };

export const USERS = {
  bridgeA: { name: 'bridge-a', role: 'bridge', fermenters: ['ale'], password: 'bridge-a secret' },
  bridgeB: { name: 'bridge-b', role: 'bridge', fermenters: ['lager'], password: 'bridge-b secret' },
  service: { name: 'dashboard', role: 'service', password: 'service secret' },
  viewer: { name: 'eve', role: 'viewer', password: 'viewer secret' },
  ispindel: { name: 'iSpindel042', role: 'ispindel', password: 'ispindel secret' },
} as const satisfies Record<string, NewUser>;
export type UserKey = keyof typeof USERS;

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export function recordingLog(): { log: BrokerLog; lines: LogRecord[] } {
  const lines: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (obj: object, msg: string): void => {
      lines.push({ ...obj, level, msg });
    };
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

export type Attempt =
  | { ok: true; client: MqttClient }
  | { ok: false; code: number | undefined; message: string; answered: boolean };

/** One connection attempt, no retries: connected, refused with a CONNACK code, or closed without answer. */
export function attempt(url: string, options: IClientOptions = {}): Promise<Attempt> {
  return new Promise((resolve) => {
    const client = connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => resolve({ ok: true, client }));
    client.once('error', (err: Error & { code?: number }) => {
      client.end(true);
      resolve({ ok: false, code: err.code, message: err.message, answered: true });
    });
    client.once('close', () => {
      client.end(true);
      resolve({ ok: false, code: undefined, message: 'closed without an answer', answered: false });
    });
  });
}

/** Resolves when the broker closes this client's connection. */
export function closedByBroker(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) resolve();
    client.once('close', () => resolve());
  });
}

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
}

export interface Rig {
  broker: EmbeddedBroker;
  dir: string;
  lines: LogRecord[];
  /** mqtt://user:password@host:port for a user of the rig. */
  url(user: UserKey): string;
  /** A connected client of that user; ended when the rig closes. */
  client(user: UserKey, options?: IClientOptions, url?: string): Promise<MqttClient>;
  /** Subscribes and records what arrives. */
  listen(client: MqttClient, filter: string): Promise<{ messages: Received[]; granted: number[] }>;
  /** A message from a bridge reaches a viewer: the broker still serves well-behaved clients. */
  stillServing(): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  limits?: Partial<BrokerLimits>;
  anonymous?: 'refuse' | 'viewer';
  wsPort?: number;
  /** User names the broker trusts as cobrew's own components. */
  components?: readonly string[];
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'cobrew-broker-'));
  const file = usersFile(dir);
  for (const user of Object.values(USERS)) await addUser(file, user, TEST_COST);
  const { log, lines } = recordingLog();
  const broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    ...(opts.wsPort === undefined ? {} : { wsPort: opts.wsPort }),
    limits: opts.limits ?? {},
    auth: {
      users: new UserDirectory(file),
      baseTopic: 'cobrew',
      anonymous: opts.anonymous ?? 'refuse',
      ...(opts.components === undefined ? {} : { components: opts.components }),
    },
    log,
  });
  const clients: MqttClient[] = [];
  const url = (user: UserKey) => {
    const u = new URL(broker.url);
    u.username = USERS[user].name;
    u.password = encodeURIComponent(USERS[user].password);
    return u.toString().replace(/\/$/, '');
  };
  const client = async (user: UserKey, options: IClientOptions = {}, target = broker.url) => {
    const { name, password } = USERS[user];
    const result = await attempt(target, { username: name, password, ...options });
    if (!result.ok) throw new Error(`${name} could not connect: ${result.message}`);
    clients.push(result.client);
    return result.client;
  };
  const listen = async (c: MqttClient, filter: string) => {
    const messages: Received[] = [];
    c.on('message', (topic, payload, packet) => {
      messages.push({ topic, text: payload.toString('utf8'), retain: packet.retain });
    });
    // mqtt.js turns a SUBACK that refuses every filter into an error carrying the packet.
    const granted = await c.subscribeAsync(filter, { qos: 1 }).then(
      (grants) => grants.map((g) => g.qos),
      (err: Error & { packet?: { granted?: number[] } }) => {
        if (err.packet?.granted === undefined) throw err;
        return err.packet.granted;
      },
    );
    return { messages, granted };
  };

  const probe = await client('bridgeA');
  const watcher = await client('viewer');
  const watched = await listen(watcher, 'cobrew/fermenter/ale/probe');
  let probes = 0;

  return {
    broker,
    dir,
    lines,
    url,
    client,
    listen,
    async stillServing() {
      probes += 1;
      const text = `probe ${probes}`;
      await probe.publishAsync('cobrew/fermenter/ale/probe', text, { qos: 1 });
      await waitFor(() => watched.messages.some((m) => m.text === text), `"${text}" from a healthy client`);
    },
    async close() {
      for (const c of clients) await c.endAsync(true);
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
