// The MQTT broker cobrew runs in its own process when no external broker is configured: aedes on a TCP port
// and, for browsers, on a WebSocket port; retained messages in memory.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { type BrokerAuth, createGatekeeper } from './auth.js';
import { MqttPortInUseError } from './errors.js';
import { type BrokerLimits, brokerLimits } from './limits.js';
import { type BrokerLog, silentLog } from './log.js';
import { flushAfterDeliveries, PacketSizeGuard, PacketTooLargeError } from './packet-size.js';
import { urlHost } from './url-host.js';
import { listenWebSocket, type WebSocketListener } from './websocket.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 lets the operating system pick a free port; read the chosen one from `port`. */
  port: number;
  /** WebSocket port for browsers, 0 for any free one; without it there is no WebSocket listener. */
  wsPort?: number;
  /** Defaults from broker/limits.ts for any left out. */
  limits?: Partial<BrokerLimits>;
  /**
   * Who may connect and what each client may do. Without it any client may connect and use any topic but
   * `$SYS`, which only tests of other parts want; `cobrew start` always gives it.
   */
  auth?: BrokerAuth;
  log?: BrokerLog;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  /** mqtt://host:port, for clients in this process. */
  readonly url: string;
  /** The WebSocket port, or null without a WebSocket listener. */
  readonly wsPort: number | null;
  /** ws://host:port, or null. */
  readonly wsUrl: string | null;
  readonly aedes: Aedes;
  /** Disconnects every client, then stops listening. */
  close(): Promise<void>;
}

/** How long a connection may stay open without sending CONNECT. */
const CONNECT_TIMEOUT_MS = 10_000;

/** What to do when an MQTT 5 client (Home Assistant from 2027.1 on) knocks: said once per broker run. */
export const MQTT5_ADVICE =
  'an MQTT 5 client tried to connect, and the embedded broker speaks MQTT 3.1.1 only (Home Assistant ' +
  'warns about such brokers from 2026.6 and stops connecting to them in 2027.1): let cobrew run Mosquitto ' +
  '(Debian package mosquitto) with its own users and roles, `mqtt: { mosquitto: { managed: true } }` in ' +
  'cobrew.yaml, or set mqtt.url in cobrew.yaml to use one you run (docs/mqtt.md, "Mosquitto run by cobrew")';

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = opts.log ?? silentLog;
  const limits = brokerLimits(opts.limits);
  let aedes: Aedes | undefined;
  let mqtt5Told = false;
  const gate = createGatekeeper({
    auth: opts.auth,
    limits,
    connectedClients: () => aedes?.connectedClients ?? 0,
    log,
  });
  // Without a persistence option aedes keeps sessions and retained messages in memory.
  const broker = await Aedes.createBroker({
    maxTopicLevels: limits.maxTopicLevels,
    connectTimeout: CONNECT_TIMEOUT_MS,
    preConnect: (client, packet, done) => {
      if (packet.protocolVersion === 5 && !mqtt5Told) {
        mqtt5Told = true;
        log.warn({ clientId: packet.clientId, protocolVersion: 5 }, MQTT5_ADVICE);
      }
      gate.preConnect(client, packet, done);
    },
    authenticate: gate.authenticate,
    authorizePublish: gate.authorizePublish,
    authorizeSubscribe: gate.authorizeSubscribe,
    authorizeForward: (client, packet) => {
      flushAfterDeliveries();
      return gate.authorizeForward(client, packet);
    },
  });
  aedes = broker;
  broker.on('clientReady', gate.clientReady);
  broker.on('clientDisconnect', gate.clientGone);
  broker.on('clientError', (client, err) => logClientError(log, client.id, err));
  broker.on('connectionError', (_client, err) => logClientError(log, undefined, err));

  const handle = (stream: Duplex, remote?: string) =>
    broker.handle(new PacketSizeGuard(stream, limits.maxPacketBytes, remote));
  // Nagle's algorithm would hold each small packet until the previous one is acknowledged, and the peer delays
  // its acknowledgements (up to 40 ms on Linux): a state every 10 ms would wait for them one after another.
  const server = createServer({ noDelay: true }, (socket) => handle(socket));
  let ws: WebSocketListener | undefined;
  try {
    try {
      server.listen(opts.port, opts.host);
      await once(server, 'listening');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new MqttPortInUseError(opts.port, opts.host, { cause: err });
      }
      throw err;
    }
    if (opts.wsPort !== undefined) {
      ws = await listenWebSocket({
        host: opts.host,
        port: opts.wsPort,
        maxPayload: limits.maxPacketBytes,
        handle: (stream, req) => handle(stream, req.socket.remoteAddress),
        log,
      });
    }
  } catch (err) {
    await closeAll(broker, server, ws);
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const wsPort = ws?.port ?? null;
  log.info(
    { host: opts.host, port, wsPort, auth: opts.auth !== undefined },
    'embedded MQTT broker listening',
  );
  let closing: Promise<void> | undefined;
  return {
    host: opts.host,
    port,
    url: `mqtt://${urlHost(opts.host)}:${port}`,
    wsPort,
    wsUrl: wsPort === null ? null : `ws://${urlHost(opts.host)}:${wsPort}`,
    aedes: broker,
    close: () => {
      closing ??= closeAll(broker, server, ws);
      return closing;
    },
  };
}

function logClientError(log: BrokerLog, clientId: string | undefined, err: Error): void {
  // The limits' refusals deserve a warning; the rest (resets, timeouts, refused logins, logged where they
  // are decided) is routine.
  if (err instanceof PacketTooLargeError) {
    log.warn(
      { clientId, bytes: err.bytes, maxBytes: err.maxBytes },
      'MQTT client disconnected: packet too large',
    );
  } else if (err.message === 'topic has too many levels') {
    log.warn({ clientId, reason: err.message }, 'MQTT client disconnected: topic too deep');
  } else {
    log.debug({ clientId, err }, 'MQTT client error');
  }
}

async function closeAll(aedes: Aedes, server: Server, ws: WebSocketListener | undefined): Promise<void> {
  // Stop accepting first; the servers' close callbacks fire once aedes has ended the open connections.
  const serverClosed = server.listening
    ? new Promise<void>((resolve) => server.close(() => resolve()))
    : Promise.resolve();
  const wsClosed = ws?.close();
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  await serverClosed;
  await wsClosed;
}
