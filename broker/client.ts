import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

/** An mqtt.js client that starts connecting at once; attach handlers, then await `connected(client)`. */
export function createClient(url: string, role: string, options: IClientOptions = {}): MqttClient {
  // aedes accepts client ids of up to 23 characters. writeCache: false spares mqtt-packet's table of 65,536
  // two-byte Buffers (6 MB of heap, shared with the embedded broker) for a few bytes allocated per packet.
  const client = connect(url, {
    clientId: `cobrew-${role}-${randomBytes(4).toString('hex')}`,
    writeCache: false,
    ...options,
  });
  // mqtt.js opens its TCP connections with Nagle's algorithm on: each small publish would wait for the
  // broker's (delayed) acknowledgement of the previous one, up to 40 ms. Each (re)connection is a new socket.
  client.on('connect', () => noDelay(client.stream));
  return client;
}

/** TCP and TLS sockets send at once; a WebSocket stream has no such setting (and sends at once anyway). */
function noDelay(stream: unknown): void {
  (stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
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
