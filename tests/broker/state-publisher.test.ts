import type { Static } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { startStatePublisher } from '../../broker/state-publisher.js';
import type { FermenterStateSchema } from '../../broker/state-schema.js';
import type { FermenterState, Incident } from '../../firmware-bridge/types.js';
import { FakeSource, listen, useCleanup, waitFor } from './helpers.js';

const incident = (fermenterId: string): Incident => ({
  id: 1,
  fermenterId,
  code: 'COBREW_ERR_SENSOR_STALE',
  severity: 'trip',
  at: Date.UTC(2026, 0, 1),
  message: 'The beer probe stopped answering; outputs are off. Check its cable.',
  context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
});

describe('state publisher', () => {
  const { cleanup, broker } = useCleanup();

  it('the state schema describes exactly the FermenterState type', () => {
    expectTypeOf<Static<typeof FermenterStateSchema>>().toEqualTypeOf<FermenterState>();
  });

  it('publishes retained states and availability, incidents at QoS 1, and goes offline on stop', async () => {
    const b = await broker();
    const ale = new FakeSource('ale');
    const lager = new FakeSource('lager');
    ale.state({ beerC: 18.2 });
    const publisher = await startStatePublisher({
      url: b.url,
      baseTopic: 'brewery',
      bridgeId: 'cellar',
      statePeriodMs: 1000,
      sources: [ale, lager],
    });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await publisher.stop();
    });

    // A subscriber arriving later still gets the retained picture.
    const sub = await listen(b.url, 'brewery/#');
    cleanup.push(sub.close);
    const heard = (topic: string) => sub.messages.filter((m) => m.topic === topic);
    await waitFor(() => heard('brewery/fermenter/ale/state').length > 0, 'the retained ale state');
    const [first] = heard('brewery/fermenter/ale/state');
    expect(first?.retain).toBe(true);
    expect(JSON.parse(first?.text ?? '')).toMatchObject({ id: 'ale', beerC: 18.2 });
    await waitFor(() => heard('brewery/bridge/cellar/availability').length > 0, 'bridge availability');
    expect(heard('brewery/bridge/cellar/availability')[0]).toMatchObject({ text: 'online', retain: true });
    expect(heard('brewery/fermenter/lager/availability')[0]).toMatchObject({ text: 'online', retain: true });
    expect(heard('brewery/fermenter/lager/state')).toEqual([]);

    lager.state({ beerC: 10.4 });
    lager.incident(incident('lager'));
    await waitFor(() => heard('brewery/fermenter/lager/incident').length > 0, 'the incident');
    expect(heard('brewery/fermenter/lager/incident')[0]).toMatchObject({ retain: false, qos: 1 });
    expect(JSON.parse(heard('brewery/fermenter/lager/incident')[0]?.text ?? '')).toMatchObject({
      code: 'COBREW_ERR_SENSOR_STALE',
    });
    await waitFor(() => heard('brewery/fermenter/lager/state').length > 0, 'the live lager state');

    // A routine update inside the period is held back, then flushed by stop: the last word is the latest.
    ale.state({ beerC: 18.3 });
    ale.state({ beerC: 18.4 });
    await publisher.stop();
    stopped = true;
    await waitFor(() => heard('brewery/bridge/cellar/availability').length > 1, 'bridge offline');
    const aleStates = heard('brewery/fermenter/ale/state').map((m) => JSON.parse(m.text).beerC);
    expect(aleStates.at(-1)).toBe(18.4);
    expect(aleStates).not.toContain(18.3);
    expect(heard('brewery/fermenter/ale/availability').at(-1)?.text).toBe('offline');
    expect(heard('brewery/fermenter/lager/availability').at(-1)?.text).toBe('offline');
    expect(heard('brewery/bridge/cellar/availability').at(-1)?.text).toBe('offline');

    // What a newcomer sees after the stop: retained offline and the latest state.
    const late = await listen(b.url, 'brewery/#');
    cleanup.push(late.close);
    await waitFor(() => late.messages.length >= 5, 'the retained messages');
    const retained = Object.fromEntries(late.messages.map((m) => [m.topic, m.text]));
    expect(retained['brewery/bridge/cellar/availability']).toBe('offline');
    expect(JSON.parse(retained['brewery/fermenter/ale/state'] ?? '').beerC).toBe(18.4);
  });

  it('has the broker announce the bridge offline when its connection drops, and comes back online', async () => {
    const b = await broker();
    const publisher = await startStatePublisher({
      url: b.url,
      baseTopic: 'cobrew',
      bridgeId: 'b1',
      statePeriodMs: 1000,
      sources: [new FakeSource('ale')],
    });
    cleanup.push(() => publisher.stop());
    const sub = await listen(b.url, 'cobrew/bridge/b1/availability');
    cleanup.push(sub.close);
    await waitFor(() => sub.messages.length === 1, 'online');

    // Cut the bridge's TCP connection from the broker's side, as a crashed process or a pulled cable would.
    const { clients } = b.aedes as unknown as {
      clients: Record<string, { id: string; conn: { destroy(): void } }>;
    };
    const bridgeClient = Object.values(clients).find((c) => c.id.startsWith('cobrew-bridge-'));
    expect(bridgeClient).toBeDefined();
    bridgeClient?.conn.destroy();

    await waitFor(() => sub.messages.length >= 3, 'last will, then online again', 10_000);
    expect(sub.messages.map((m) => m.text).slice(0, 3)).toEqual(['online', 'offline', 'online']);
  });

  it('connects with the client options it is given, keeping its last will', async () => {
    const b = await broker();
    const publisher = await startStatePublisher({
      url: b.url,
      baseTopic: 'cobrew',
      bridgeId: 'b2',
      statePeriodMs: 1000,
      sources: [new FakeSource('ale')],
      clientOptions: { clientId: 'cobrew-bridge-b2', will: { topic: 'x', payload: Buffer.from('y') } },
    });
    cleanup.push(() => publisher.stop());
    const sub = await listen(b.url, 'cobrew/bridge/b2/availability');
    cleanup.push(sub.close);
    await waitFor(() => sub.messages.length === 1, 'online');

    const { clients } = b.aedes as unknown as { clients: Record<string, { conn: { destroy(): void } }> };
    expect(Object.keys(clients)).toContain('cobrew-bridge-b2');
    clients['cobrew-bridge-b2']?.conn.destroy();
    await waitFor(() => sub.messages.some((m) => m.text === 'offline'), 'the bridge last will', 10_000);
  });

  it('fails at start when no broker answers', async () => {
    const b = await broker();
    const url = b.url;
    await b.close();
    await expect(
      startStatePublisher({ url, baseTopic: 'cobrew', bridgeId: 'x', statePeriodMs: 1000, sources: [] }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
