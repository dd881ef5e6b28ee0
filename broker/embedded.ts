// The MQTT broker cobrew runs in its own process when no external broker is configured.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { MqttPortInUseError } from './errors.js';
import { type BrokerLog, silentLog } from './log.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 lets the operating system pick a free port; read the chosen one from `port`. */
  port: number;
  log?: BrokerLog;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  /** mqtt://host:port, for clients in this process. */
  readonly url: string;
  readonly aedes: Aedes;
  /** Disconnects every client, then stops listening. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = opts.log ?? silentLog;
  // Without a persistence option aedes keeps sessions and retained messages in memory.
  const aedes = await Aedes.createBroker();
  const server = createServer((socket) => aedes.handle(socket));
  try {
    server.listen(opts.port, opts.host);
    await once(server, 'listening');
  } catch (err) {
    await closeAedes(aedes);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new MqttPortInUseError(opts.port, opts.host, { cause: err });
    }
    throw err;
  }
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err }, 'MQTT client error'));
  aedes.on('connectionError', (_client, err) => log.debug({ err }, 'MQTT connection error'));

  const port = (server.address() as AddressInfo).port;
  log.info({ host: opts.host, port }, 'embedded MQTT broker listening');
  let closing: Promise<void> | undefined;
  return {
    host: opts.host,
    port,
    url: `mqtt://${urlHost(opts.host)}:${port}`,
    aedes,
    close: () => {
      closing ??= closeAll(aedes, server);
      return closing;
    },
  };
}

/** The address a client in this process dials: wildcard listen addresses are reached on loopback. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

async function closeAll(aedes: Aedes, server: Server): Promise<void> {
  // Stop accepting first; the server's close callback fires once aedes has ended the open connections.
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  await closeAedes(aedes);
  await serverClosed;
}
