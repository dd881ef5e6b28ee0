// MQTT over WebSocket on a port of its own, for browsers. Each WebSocket becomes a stream that aedes handles
// like a TCP connection, with the same authentication, ACL and limits.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import createError from '@fastify/error';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { BrokerLog } from './log.js';

export const MqttWsPortInUseError = createError(
  'COBREW_ERR_MQTT_WS_PORT_IN_USE',
  'MQTT WebSocket port %s on %s is already in use. ' +
    'Pass --ws-port <n> or set COBREW_WS_PORT to use another port (0 for any free one).',
);

export interface WebSocketListenerOptions {
  host: string;
  port: number;
  /** Largest WebSocket message accepted; MQTT packets are capped separately, whatever their framing. */
  maxPayload: number;
  handle(stream: Duplex, req: IncomingMessage): void;
  log: BrokerLog;
}

export interface WebSocketListener {
  readonly port: number;
  /** Stops accepting; aedes ends the open connections when it closes. */
  close(): Promise<void>;
}

// Browsers' MQTT clients ask for `mqtt`; some older ones for `mqttv3.1`.
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

export async function listenWebSocket(opts: WebSocketListenerOptions): Promise<WebSocketListener> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    res.end('This port speaks MQTT over WebSocket: connect an MQTT client to ws://<host>:<port>.\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: opts.maxPayload,
    perMessageDeflate: false,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }) => {
      if (sameSite(origin, req.headers.host)) return true;
      opts.log.warn(
        { origin: origin?.slice(0, 200), remote: req.socket.remoteAddress },
        'MQTT WebSocket refused: the page that opened it is from another site',
      );
      return false;
    },
  });
  wss.on('connection', (ws, req) => opts.handle(createWebSocketStream(ws), req));
  // ws repeats the HTTP server's errors; one before listening is reported by listen below.
  let listening = false;
  wss.on('error', (err) => {
    if (listening) opts.log.error({ err }, 'MQTT WebSocket server error');
  });

  try {
    http.listen(opts.port, opts.host);
    await once(http, 'listening');
    listening = true;
  } catch (err) {
    wss.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new MqttWsPortInUseError(opts.port, opts.host, { cause: err });
    }
    throw err;
  }

  return {
    port: (http.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}

/**
 * A browser says which page opened the socket (Origin): only a page of the machine the socket reaches (the
 * dashboard, on another port) may, so that a page from any other site cannot use a brewer's broker account
 * or guess passwords through a visitor's browser. Clients that are not browsers send no Origin.
 */
export function sameSite(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    return false;
  }
  const bare = (h: string) => h.replace(/^\[|\]$/g, '').toLowerCase();
  const hostName = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return bare(originHost) === bare(hostName);
}
