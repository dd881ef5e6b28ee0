import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, MQTT5_ADVICE, startEmbeddedBroker } from '../../broker/embedded.js';
import { listen, waitFor } from './helpers.js';

describe('embedded broker', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function start(): Promise<EmbeddedBroker> {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => broker.close());
    return broker;
  }

  it('relays messages between real MQTT clients, retained ones included', async () => {
    const broker = await start();
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);

    const publisher = await connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => publisher.endAsync());
    await publisher.publishAsync('cobrew/test/retained', 'kept', { qos: 1, retain: true });

    const sub = await listen(broker.url, 'cobrew/test/#');
    cleanup.push(sub.close);
    await publisher.publishAsync('cobrew/test/live', 'hello', { qos: 1 });

    await waitFor(() => sub.messages.length >= 2, 'both messages');
    expect(sub.messages).toContainEqual({
      topic: 'cobrew/test/retained',
      text: 'kept',
      retain: true,
      qos: 1,
    });
    expect(sub.messages).toContainEqual({ topic: 'cobrew/test/live', text: 'hello', retain: false, qos: 1 });
  });

  it('turns away MQTT 5 clients with "unacceptable protocol version", saying once what to do', async () => {
    const lines: { level: string; obj: object; msg: string }[] = [];
    const record = (level: string) => (obj: object, msg: string) => lines.push({ level, obj, msg });
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      log: { debug() {}, info() {}, warn: record('warn'), error: record('error') },
    });
    cleanup.push(() => broker.close());
    for (const clientId of ['homeassistant-1', 'homeassistant-2']) {
      const refused = await connectAsync(broker.url, {
        protocolVersion: 5,
        clientId,
        reconnectPeriod: 0,
      }).then(
        () => 'connected',
        (err: { code?: number; message: string }) => err.code ?? err.message,
      );
      // mqtt.js reports the CONNACK return code 1 (3.1.1's "unacceptable protocol version").
      expect(refused).not.toBe('connected');
    }
    const advice = lines.filter((l) => l.msg === MQTT5_ADVICE);
    expect(advice).toEqual([
      { level: 'warn', obj: { clientId: 'homeassistant-1', protocolVersion: 5 }, msg: MQTT5_ADVICE },
    ]);
    expect(MQTT5_ADVICE).toContain('set mqtt.url in cobrew.yaml');
    expect(MQTT5_ADVICE).toContain('`mqtt: { mosquitto: { managed: true } }`');
    // MQTT 3.1.1 clients are served as before.
    const ok = await connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => ok.endAsync());
    expect(ok.connected).toBe(true);
  });

  it('refuses a port in use with a typed error naming the port and the ways out', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    cleanup.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as AddressInfo).port;

    const err = await startEmbeddedBroker({ host: '127.0.0.1', port }).then(
      () => expect.fail('the broker started on a port in use'),
      (e: unknown) => e as Error & { code: string },
    );
    expect(err.code).toBe('COBREW_ERR_MQTT_PORT_IN_USE');
    expect(err.message).toContain(String(port));
    expect(err.message).toContain('--mqtt-port <n>');
    expect(err.message).toContain('COBREW_MQTT_PORT');
    expect(err.message).toContain('mqtt.url');
  });

  it('disconnects its clients and frees the port on close', async () => {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    const client = await connectAsync(broker.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await closed;
    await client.endAsync();

    const again = await startEmbeddedBroker({ host: '127.0.0.1', port: broker.port });
    await again.close();
  });
});
