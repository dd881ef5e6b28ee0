import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { IClientOptions, MqttClient } from 'mqtt';
import mqttClientModule from 'mqtt/lib/client';
import { MqttUrlSchemeError } from './errors.js';

// mqtt.js's client alone (its documented `new MqttClient(streamBuilder, options)`), without its index, which
// loads the WebSocket, SOCKS-proxy and browser transports (ws, socks, ip-address, …) whether used or not
// (docs/footprint.md, "The floor").
// The module is CommonJS with an ES default export: node (and the bundle) import its `module.exports`,
// vitest its `default`.
const loaded = mqttClientModule as unknown as typeof MqttClient | { default: typeof MqttClient };
const Client = 'default' in loaded ? loaded.default : loaded;

const DEFAULT_PORTS = { mqtt: 1883, mqtts: 8883 } as const;

/** An mqtt.js client that starts connecting at once; attach handlers, then await `connected(client)`. */
export function createClient(url: string, role: string, options: IClientOptions = {}): MqttClient {
  // aedes accepts client ids of up to 23 characters. writeCache: false spares mqtt-packet's table of 65,536
  // two-byte Buffers (6 MB of heap, shared with the embedded broker) for a few bytes allocated per packet.
  const opts: IClientOptions = {
    clientId: `cobrew-${role}-${randomBytes(4).toString('hex')}`,
    writeCache: false,
    ...options,
  };
  const target = new URL(url);
  const scheme = target.protocol.replace(/:$/, '');
  if (scheme === 'ws' || scheme === 'wss') return overWebSocket(url, opts);
  if (scheme !== 'mqtt' && scheme !== 'mqtts') throw new MqttUrlSchemeError(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = target.port === '' ? DEFAULT_PORTS[scheme] : Number(target.port);
  // As mqtt.js's connect(): a user name and password written in the URL are the ones used.
  if (target.username !== '') opts.username = decodeURIComponent(target.username);
  if (target.password !== '') opts.password = decodeURIComponent(target.password);
  // Called for the first connection and each reconnection: a new socket each time.
  const stream = scheme === 'mqtt' ? () => tcpConnect({ host, port }) : () => tlsSocket(host, port, opts);
  const client = new Client(() => noDelay(stream()), opts);
  // As mqtt.js's connect(): an error between reconnections with no listener of the caller's must not crash.
  client.on('error', () => {});
  return client;
}

/**
 * TLS with the options of mqtt.js's own mqtts transport: the caller's (ca, cert, key, …), the broker's name
 * checked against its certificate unless it is an IP address, and an unverified certificate refused unless
 * `rejectUnauthorized: false`.
 */
function tlsSocket(host: string, port: number, opts: IClientOptions): Socket {
  return tlsConnect({
    ...(opts as Record<string, unknown>),
    host,
    port,
    ...(isIP(host) === 0 && opts.servername === undefined ? { servername: host } : {}),
    rejectUnauthorized: opts.rejectUnauthorized !== false,
  });
}

/**
 * mqtt.js's whole connect(), whose WebSocket transport needs its index: loaded for a ws:// or wss:// broker
 * only, from node_modules.
 */
function overWebSocket(url: string, opts: IClientOptions): MqttClient {
  const { connect } = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');
  return connect(url, opts);
}

/**
 * mqtt.js would open TCP connections with Nagle's algorithm on: each small publish would wait for the
 * broker's (delayed) acknowledgement of the previous one, up to 40 ms. A TLS socket is a TCP one underneath.
 */
function noDelay(socket: Socket): Socket {
  return socket.setNoDelay(true);
}

/** Resolves on the broker's first answer; fails at once, and ends the client, if it cannot be reached. */
export function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      client.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      client.off('connect', onConnect);
      client.end(true);
      reject(err);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}
