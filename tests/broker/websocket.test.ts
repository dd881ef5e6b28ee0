import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import { attempt, closedByBroker, type Rig, startRig, USERS } from './auth-rig.js';
import { sampleState, waitFor } from './helpers.js';

describe('MQTT over WebSocket', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('gives a viewer over ws:// the retained state a bridge published over TCP', async () => {
    rig = await startRig({ wsPort: 0 });
    const wsUrl = rig.broker.wsUrl ?? '';
    expect(wsUrl).toBe(`ws://127.0.0.1:${rig.broker.wsPort}`);
    const bridge = await rig.client('bridgeA');
    const state = sampleState('ale');
    await bridge.publishAsync('cobrew/fermenter/ale/state', JSON.stringify(state), { qos: 1, retain: true });

    const browser = await rig.client('viewer', {}, wsUrl);
    const heard = await rig.listen(browser, 'cobrew/fermenter/+/state');
    const got = await waitFor(() => heard.messages[0], 'the retained state over WebSocket');
    expect(got.retain).toBe(true);
    expect(JSON.parse(got.text)).toEqual(state);

    // The same rules as on TCP.
    const gone = closedByBroker(browser);
    browser.publish('cobrew/fermenter/ale/set', '{}', { qos: 1 });
    await gone;
    await rig.stillServing();
  });

  it('refuses a WebSocket client without credentials', async () => {
    rig = await startRig({ wsPort: 0 });
    expect(await attempt(rig.broker.wsUrl ?? '')).toMatchObject({ ok: false, code: 5 });
    const withUrl = new URL(rig.broker.wsUrl ?? '');
    withUrl.username = USERS.viewer.name;
    withUrl.password = 'not it';
    expect(await attempt(withUrl.toString())).toMatchObject({ ok: false, code: 4 });
  });

  it('caps the packet size over WebSocket too', async () => {
    rig = await startRig({ wsPort: 0, limits: { maxPacketBytes: 2048 } });
    const browser = await rig.client('bridgeA', {}, rig.broker.wsUrl ?? '');
    const gone = closedByBroker(browser);
    browser.publish('cobrew/fermenter/ale/state', 'z'.repeat(3000), { qos: 0 });
    await gone;
    await rig.stillServing();
  });

  it('answers a plain HTTP request with 426 Upgrade Required', async () => {
    rig = await startRig({ wsPort: 0 });
    const res = await fetch(`http://127.0.0.1:${rig.broker.wsPort}/`);
    expect(res.status).toBe(426);
    expect(await res.text()).toContain('MQTT over WebSocket');
  });

  it('refuses a WebSocket port in use with a typed error, and frees the TCP port it had taken', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    try {
      const wsPort = (squatter.address() as AddressInfo).port;
      const port = await freePort();
      const err = await startEmbeddedBroker({ host: '127.0.0.1', port, wsPort }).then(
        () => expect.fail('the broker started on a WebSocket port in use'),
        (e: unknown) => e as Error & { code: string },
      );
      expect(err.code).toBe('COBREW_ERR_MQTT_WS_PORT_IN_USE');
      expect(err.message).toContain(String(wsPort));
      expect(err.message).toContain('--ws-port <n>');
      expect(err.message).toContain('COBREW_WS_PORT');
      const again = await startEmbeddedBroker({ host: '127.0.0.1', port });
      await again.close();
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
