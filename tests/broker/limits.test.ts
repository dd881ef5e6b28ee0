import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, usersFile } from '../../broker/credentials.js';
import { brokerLimits, publishAllowance, TokenBucket } from '../../broker/limits.js';
import { PacketSizeGuard, PacketTooLargeError } from '../../broker/packet-size.js';
import { attempt, closedByBroker, type Rig, startRig, TEST_COST, USERS } from './auth-rig.js';
import { waitFor } from './helpers.js';

describe('token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('has sane defaults', () => {
    expect(brokerLimits()).toEqual({
      maxTopicLevels: 8,
      maxPacketBytes: 65536,
      maxConnections: 100,
      maxConnectionsPerUser: 10,
      loginFailuresPerAddress: 5,
      publishesPerSecond: 50,
      publishBurst: 100,
      publishesPerFermenter: 25,
      burstPerFermenter: 20,
    });
    expect(brokerLimits({ maxConnections: 3 }).maxConnections).toBe(3);
  });

  it('gives a bridge an allowance that grows with the fermenters it runs', () => {
    const limits = brokerLimits({ publishesPerSecond: 50, publishBurst: 100 });
    expect(publishAllowance(limits, 0)).toMatchObject({ perSecond: 50, burst: 100 });
    expect(publishAllowance(limits, 200)).toMatchObject({ perSecond: 50 + 200 * 25, burst: 100 + 200 * 20 });
  });
});

/** An MQTT packet of `type` with a body of `bodyBytes` bytes of 0xff, which would read as a huge length if the
 * guard lost track of where packets start. */
function packet(type: number, bodyBytes: number): Buffer {
  const length: number[] = [];
  let n = bodyBytes;
  do {
    length.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyBytes, 0xff)]);
}

describe('packet size guard', () => {
  async function pass(bytes: Buffer, chunk: number, maxBytes: number): Promise<Buffer | Error> {
    const inner = new PassThrough();
    const guard = new PacketSizeGuard(inner, maxBytes);
    const out: Buffer[] = [];
    guard.on('data', (b: Buffer) => out.push(b));
    const done = new Promise<Buffer | Error>((resolve) => {
      guard.on('end', () => resolve(Buffer.concat(out)));
      guard.on('error', resolve);
    });
    for (let i = 0; i < bytes.length; i += chunk) inner.write(bytes.subarray(i, i + chunk));
    inner.end();
    return done;
  }

  it('finds every packet boundary however the bytes are cut, and passes them unchanged', async () => {
    // Bodies of 0, 127, 128, 16383 and 16384 bytes: one, two and three length bytes.
    const stream = Buffer.concat([0, 127, 128, 16383, 16384, 5].map((n) => packet(0x30, n)));
    for (const chunk of [1, 2, 3, 7, 1000, stream.length]) {
      expect(await pass(stream, chunk, 16384 + 4)).toEqual(stream);
    }
  });

  it('stops at the first packet over the limit, counting its header', async () => {
    const stream = Buffer.concat([packet(0x30, 10), packet(0x30, 1021), packet(0x30, 10)]);
    expect(await pass(stream, 3, 1024)).toEqual(stream);
    const over = Buffer.concat([packet(0x30, 10), packet(0x30, 1022), packet(0x30, 10)]);
    const err = await pass(over, 3, 1024);
    expect(err).toBeInstanceOf(PacketTooLargeError);
    expect(err).toMatchObject({ bytes: 1025, maxBytes: 1024 });
  });
});

describe('limits of the embedded broker', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('disconnects a client publishing or subscribing deeper than maxTopicLevels', async () => {
    rig = await startRig();
    const service = await rig.listen(await rig.client('service'), '#');
    const bridge = await rig.client('bridgeA');
    const deep = 'cobrew/fermenter/ale/a/b/c/d/e/f';
    const gone = closedByBroker(bridge);
    bridge.publish(deep, 'x', { qos: 1 });
    await gone;
    await rig.stillServing();
    expect(service.messages.map((m) => m.topic)).not.toContain(deep);
    expect(rig.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'MQTT client disconnected: topic too deep' }),
    );

    const viewer = await rig.client('viewer');
    const viewerGone = closedByBroker(viewer);
    viewer.subscribe('cobrew/a/b/c/d/e/f/g/#');
    await viewerGone;
    await rig.stillServing();
  });

  it('disconnects a client sending a packet over maxPacketBytes, and passes one just under', async () => {
    rig = await startRig({ limits: { maxPacketBytes: 4096 } });
    const service = await rig.listen(await rig.client('service'), 'cobrew/fermenter/ale/state');
    const bridge = await rig.client('bridgeA');
    await bridge.publishAsync('cobrew/fermenter/ale/state', 'x'.repeat(4000), { qos: 1 });
    await waitFor(() => service.messages.length === 1, 'the largest allowed message');

    const gone = closedByBroker(bridge);
    bridge.publish('cobrew/fermenter/ale/state', 'y'.repeat(5000), { qos: 1 });
    await gone;
    await rig.stillServing();
    expect(service.messages).toHaveLength(1);
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'MQTT client disconnected: packet too large',
        maxBytes: 4096,
      }),
    );
  });

  it('drops a connection as soon as a header announces an oversize packet, before its body comes', async () => {
    rig = await startRig();
    const socket = tcpConnect(rig.broker.port, '127.0.0.1');
    await once(socket, 'connect');
    // A PUBLISH whose remaining length says 100 MiB; the body never needs to be sent.
    socket.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x32]));
    await once(socket, 'close');
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        msg: 'MQTT client disconnected: packet too large',
        bytes: 1 + 4 + 50 * 128 ** 3,
      }),
    );
    await rig.stillServing();
  });

  it('disconnects a client flooding publishes; the others keep being served', async () => {
    rig = await startRig({ limits: { publishesPerSecond: 20, publishBurst: 20 } });
    const service = await rig.listen(await rig.client('service'), 'cobrew/fermenter/lager/state');
    const flooder = await rig.client('bridgeB');
    const gone = closedByBroker(flooder);
    for (let i = 0; i < 500 && flooder.connected; i++) {
      flooder.publish('cobrew/fermenter/lager/state', `flood ${i}`, { qos: 0 });
    }
    await gone;
    await rig.stillServing();
    // The burst went through; the flood did not.
    await waitFor(() => service.messages.length >= 20, 'the burst at the service');
    expect(service.messages.length).toBeLessThan(60);
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        user: 'bridge-b',
        msg: 'MQTT client disconnected: it publishes faster than allowed',
      }),
    );
  });

  it('keeps a client publishing steadily under the rate, however long it goes on', async () => {
    rig = await startRig({ limits: { publishesPerSecond: 20, publishBurst: 5 } });
    const bridge = await rig.client('bridgeB');
    for (let i = 0; i < 25; i++) {
      await bridge.publishAsync('cobrew/fermenter/lager/state', `steady ${i}`, { qos: 1 });
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(bridge.connected).toBe(true);
  });

  it('refuses connections beyond maxConnections, and accepts again once one leaves', async () => {
    // The rig keeps two clients of its own connected.
    rig = await startRig({ limits: { maxConnections: 3 } });
    const third = await rig.client('service');
    const fourth = await attempt(rig.url('viewer'));
    // Refused once it is known not to be one of cobrew's components (they have a reserve of slots).
    expect(fourth).toMatchObject({ ok: false, code: 3 });
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'MQTT connection refused',
        reason: 'connection limit of 3 clients reached',
      }),
    );
    await rig.stillServing();
    await third.endAsync();
    await waitFor(() => rig?.broker.aedes.connectedClients === 2, 'the third client gone');
    const again = await attempt(rig.broker.url, {
      username: USERS.viewer.name,
      password: USERS.viewer.password,
    });
    expect(again.ok).toBe(true);
    if (again.ok) await again.client.endAsync();
  });

  it("never throttles cobrew's own components, however fast they publish", async () => {
    rig = await startRig({ limits: { publishesPerSecond: 20, publishBurst: 5 }, components: ['dashboard'] });
    const component = await rig.client('service');
    const stranger = await rig.client('bridgeB');
    const strangerGone = closedByBroker(stranger);
    for (let i = 0; i < 500; i++) {
      component.publish('cobrew/fermenter/lager/set', `{"n":${i}}`, { qos: 0 });
      if (stranger.connected) stranger.publish('cobrew/fermenter/lager/state', `flood ${i}`, { qos: 0 });
    }
    await component.publishAsync('cobrew/fermenter/lager/set', '{"last":true}', { qos: 1 });
    await strangerGone;
    expect(component.connected).toBe(true);
    await rig.stillServing();
  });

  it('lets a bridge with more fermenters publish more before it is disconnected', async () => {
    const limits = {
      publishesPerSecond: 1,
      publishBurst: 5,
      publishesPerFermenter: 0,
      burstPerFermenter: 10,
    };
    rig = await startRig({ limits });
    const fermenters = Array.from({ length: 20 }, (_, i) => `f${i}`);
    const big = { name: 'bridge-big', role: 'bridge', fermenters, password: 'big secret' } as const;
    await addUser(usersFile(rig.dir), big, TEST_COST);
    const large = await attempt(rig.broker.url, { username: big.name, password: big.password });
    if (!large.ok) throw new Error(large.message);
    // 5 + 20 × 10 = 205 at once for the bridge of 20 fermenters, 5 + 10 = 15 for that of one.
    for (let i = 0; i < 200; i++) large.client.publish(`cobrew/fermenter/f${i % 20}/state`, `s${i}`);
    await large.client.publishAsync('cobrew/fermenter/f0/state', 'last', { qos: 1 });
    expect(large.client.connected).toBe(true);
    const small = await rig.client('bridgeB');
    const gone = closedByBroker(small);
    for (let i = 0; i < 200 && small.connected; i++) small.publish('cobrew/fermenter/lager/state', `s${i}`);
    await gone;
    expect(rig.lines).toContainEqual(expect.objectContaining({ user: 'bridge-b', perSecond: 1, burst: 15 }));
    await large.client.endAsync();
  });

  it("admits cobrew's own components beyond maxConnections, and does not count them", async () => {
    // The rig keeps two clients of its own connected; components are not among them.
    rig = await startRig({ limits: { maxConnections: 3 }, components: ['dashboard'] });
    const components = [];
    for (let i = 0; i < 4; i++) components.push(await rig.client('service'));
    const third = await rig.client('viewer');
    const fourth = await attempt(rig.url('viewer'));
    // Four components are connected, yet a stranger meets the limit of three at the login check.
    expect(fourth).toMatchObject({ ok: false, code: 3 });
    // A component's name alone gets no one in: its password is still checked.
    const impostor = await attempt(rig.broker.url, { username: 'dashboard', password: 'guess' });
    expect(impostor).toMatchObject({ ok: false, code: 4 });
    expect(components.every((c) => c.connected) && third.connected).toBe(true);
    await rig.stillServing();
  });
});
