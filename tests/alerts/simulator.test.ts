// End to end on the simulator: a multi-day accelerated run of a simulated fermenter whose beer probe is
// unplugged at a random time. Its states and incidents go over a real MQTT broker to the alerts service,
// whose messages go to a local webhook server. The trip reaches the owner and the person on duty once each,
// escalates while unacknowledged, stops when acknowledged, and a restart in the middle (with a message
// still failing) loses and duplicates nothing.
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { webhookChannel } from '../../alerts/channels/webhook.js';
import { startAlerts } from '../../alerts/service.js';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import { silentLog } from '../../broker/log.js';
import { topicsFor } from '../../broker/topics.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { createFleet } from '../../firmware-bridge/fleet.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { useCleanup } from '../broker/helpers.js';
import { alertsSettings, receiver, tempDir } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Simulated time moves in 5-minute steps: the fleet ticks every second in between, the alerts hear each step.
const STEP = 5 * MIN;
const T0 = Date.UTC(2026, 0, 5); // a Monday

describe('alerts on the simulator', () => {
  const { cleanup } = useCleanup();

  it('a fault at a random time reaches owner and duty once each, escalates, stops on ack, survives a restart', async () => {
    const faultAfterH = 6 + Math.random() * 60;
    // The test's bridge publishes a state per 5 simulated minutes, far faster than the embedded broker lets
    // one client publish for long: lift that limit.
    const b = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      limits: { publishesPerSecond: 100_000, publishBurst: 100_000 },
    });
    cleanup.push(() => b.close());
    // dora's server fails until the restart, so her message is still queued when cobrew restarts.
    let failDora = true;
    let doraFailures = 0;
    const hooks = await receiver((hit) => {
      if (hit.url !== '/dora' || !failDora) return { status: 200 };
      doraFailures += 1;
      return { status: 503 };
    });
    cleanup.push(() => hooks.close());
    let t = T0;
    const clock = { now: () => t };
    const pending: Array<() => void> = [];
    const fleet = createFleet({
      fermenters: [
        checkFermenterConfig({
          id: 'ale',
          name: 'Ale – cuve 1',
          board: {
            type: 'sim',
            faults: [{ afterH: faultAfterH, fault: { kind: 'sensor-unplugged', probe: 'beer' } }],
          },
          control: { mode: 'beer', beerSetpointC: 18 },
        }),
      ],
      clock,
      timers: {
        after: (_ms, fn) => {
          pending.push(fn);
          return () => {};
        },
      },
    });
    const topics = topicsFor('cobrew');
    const bridge = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => bridge.endAsync());
    const fermenter = fleet.fermenters[0];
    let latest: FermenterState | null = null;
    fermenter?.on('state', (s) => {
      latest = s;
    });
    const incidents: Promise<unknown>[] = [];
    fermenter?.on('incident', (i) =>
      incidents.push(
        bridge.publishAsync(topics.fermenterIncident(i.fermenterId), JSON.stringify(i), { qos: 1 }),
      ),
    );

    const dataDir = tempDir();
    const settings = alertsSettings({
      timeZone: 'UTC',
      escalateAfterMinutes: 15,
      // The bridge is heard every step. On a loaded machine the service can hear a step's state after
      // that step's tick; an hour of silence (12 steps) is what offline means here, not one late message.
      rules: { offlineAfterS: 3600 },
      rota: [
        { user: 'dora', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' },
        { user: 'eve', days: ['sat'], from: '10:00', to: '11:00' },
      ],
    });
    const start = () =>
      startAlerts({
        settings,
        dataDir,
        url: b.url,
        baseTopic: 'cobrew',
        clientOptions: { clientId: 'cobrew-alrt-test' },
        clock,
        owners: { ownersOf: (id) => ({ owner: id === 'ale' ? 'olivia' : null, coBrewers: [] }) },
        people: { admins: () => ['root'] },
        log: silentLog,
        tickMs: 0,
        channels: { webhook: webhookChannel(2000, clock.now) },
      });
    let alerts = await start();
    for (const user of ['olivia', 'dora', 'eve', 'root'])
      alerts.store.saveContact(user, {
        lang: 'en',
        quietHours: null,
        channels: { webhook: { url: `${hooks.url}/${user}`, secret: 'a-secret-of-16-chars' } },
      });

    // A second subscriber tells when the broker has passed a state on, so that a loaded machine does not
    // move simulated time past a state the service has not heard yet (which would look like silence).
    const probe = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => probe.endAsync());
    await probe.subscribeAsync(topics.fermenterState('ale'));
    let delivered = '';
    probe.on('message', (_topic, payload) => {
      delivered = payload.toString('utf8');
    });
    const received = (user: string) => hooks.hits.filter((h) => h.url === `/${user}`);
    const step = async () => {
      t += STEP;
      for (const fn of pending.splice(0)) fn();
      if (latest !== null) {
        const body = JSON.stringify(latest);
        await bridge.publishAsync(topics.fermenterState('ale'), body, { retain: true });
        await expect.poll(() => delivered, { interval: 1 }).toBe(body);
      }
      await Promise.all(incidents.splice(0));
      // Let the service hear what was published before time moves on.
      await new Promise((r) => setTimeout(r, 5));
      await alerts.tick();
      await alerts.dispatcher.pass();
    };
    fleet.start();
    cleanup.push(() => fleet.stop());
    let raisedAt: number | null = null;
    let restarted = false;
    let acked = false;

    while (t < T0 + 72 * HOUR) {
      await step();
      const live = alerts.store.recent(5).find((a) => a.kind === 'trip');
      if (live !== undefined && raisedAt === null) raisedAt = live.raisedAt;
      if (raisedAt !== null && !restarted && t >= raisedAt + 5 * MIN) {
        // A restart in the middle: dora's message is still waiting for its retry.
        expect(alerts.store.pendingCount()).toBe(1);
        await alerts.close();
        failDora = false;
        alerts = await start();
        restarted = true;
      }
      if (raisedAt !== null && !acked && received('eve').length > 0) {
        const trip = alerts.store.recent(5).find((a) => a.kind === 'trip');
        alerts.router.acknowledge(trip?.id ?? '', 'eve', 'dashboard');
        acked = true;
      }
    }
    await alerts.close();
    expect(raisedAt).not.toBeNull();
    // Heard at the step of the fault, or the next one.
    expect((raisedAt ?? 0) - T0 - faultAfterH * HOUR).toBeLessThanOrEqual(2 * STEP);
    const accepted = (user: string) =>
      hooks.hits
        .filter((h) => h.url === `/${user}`)
        .map((h) => JSON.parse(h.body) as { event: string; kind: string; id: string });
    const ok = (user: string) => {
      const all = accepted(user);
      return user === 'dora' ? all.slice(doraFailures) : all;
    };
    expect(ok('olivia').map((m) => `${m.event}:${m.kind}`)).toEqual(['raise:trip']);
    expect(ok('dora').map((m) => `${m.event}:${m.kind}`)).toEqual(['raise:trip']);
    // The failed attempt and its retry after the restart carry the same idempotency key.
    expect(new Set(accepted('dora').map((m) => m.id)).size).toBe(1);
    expect(ok('eve').map((m) => `${m.event}:${m.kind}`)).toEqual(['escalate:trip']);
    expect(ok('root')).toEqual([]);
    expect(doraFailures).toBeGreaterThan(0);
  }, 120_000);
});
