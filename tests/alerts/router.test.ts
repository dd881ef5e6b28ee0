// The router and the durable queue on a manual clock: who is told, once; escalation to the next on the rota
// then the admins; acknowledgement stops it; flapping is one alert with one "resolved"; quiet hours hold
// warnings back; a restart (a new router on the same database) queues nothing twice; the space's own health
// goes to the admins, and the space's default channels carry what goes to the admins and to people with none.
import { describe, expect, it } from 'vitest';
import { checkAckToken } from '../../alerts/ack-link.js';
import type { Condition } from '../../alerts/model.js';
import { type AckAudit, AlertRouter, type OwnerDirectory, SPACE } from '../../alerts/router.js';
import { AlertStore } from '../../alerts/store.js';
import { ManualClock } from '../../common/clock.js';
import { alertsSettings, tempDir } from './helpers.js';

const MIN = 60_000;
// Monday 5 January 2026, 12:00 UTC.
const MONDAY_NOON = Date.UTC(2026, 0, 5, 12);

function rig(opts: { owners?: OwnerDirectory; dir?: string; clock?: ManualClock; audit?: AckAudit } = {}) {
  const dir = opts.dir ?? tempDir();
  const clock = opts.clock ?? new ManualClock(MONDAY_NOON);
  const settings = alertsSettings({
    timeZone: 'UTC',
    escalateAfterMinutes: 15,
    groupSeconds: 300,
    rota: [
      { user: 'alice', days: ['mon', 'tue'], from: '08:00', to: '20:00' },
      { user: 'bob', days: ['mon'], from: '20:00', to: '08:00' },
      { user: 'carol', days: ['wed'], from: '08:00', to: '20:00' },
    ],
  });
  const store = new AlertStore(dir);
  for (const user of ['alice', 'bob', 'carol', 'dan', 'root'])
    store.saveContact(user, {
      lang: user === 'bob' ? 'en' : 'fr',
      quietHours: null,
      channels: { webhook: { url: `http://127.0.0.1:9/${user}`, secret: 'x'.repeat(16) } },
    });
  const router = new AlertRouter({
    settings,
    store,
    clock,
    owners: opts.owners ?? {
      ownersOf: (id) => (id === 'ale' ? { owner: 'dan', coBrewers: [] } : { owner: null, coBrewers: [] }),
    },
    people: { admins: () => ['root'] },
    ...(opts.audit === undefined ? {} : { audit: opts.audit }),
  });
  const queued = () => store.due(Number.MAX_SAFE_INTEGER, 1000).map((d) => `${d.purpose}:${d.user}`);
  return { dir, clock, store, router, queued };
}

const trip = (at: number, fermenterId = 'ale'): Condition => ({
  key: `trip:${fermenterId}:COBREW_ERR_PROBE_LOST`,
  kind: 'trip',
  severity: 'critical',
  fermenterId,
  facts: { beerC: 24.1, beerSetpointC: 18, code: 'COBREW_ERR_PROBE_LOST', fermenterName: 'Ale – cuve 1' },
  at,
  notifyResolved: true,
});

describe('alert router', () => {
  it('tells the owner and whoever is on duty once each, escalates to the next on the rota, then the admins', () => {
    const { router, clock, queued, store } = rig();
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    expect(queued()).toEqual(['raise:dan', 'raise:alice']);
    clock.advance(14 * MIN);
    router.tick();
    expect(queued()).toHaveLength(2);
    clock.advance(MIN);
    router.tick();
    router.tick();
    expect(queued()).toEqual(['raise:dan', 'raise:alice', 'escalate:bob']);
    clock.advance(15 * MIN);
    router.tick();
    expect(queued()).toEqual(['raise:dan', 'raise:alice', 'escalate:bob', 'escalate:root']);
    clock.advance(60 * MIN);
    router.tick();
    expect(queued()).toHaveLength(4);
    const [alert] = store.recent(1);
    expect(alert?.told).toEqual(['dan', 'alice', 'bob', 'root']);
  });

  it('stops escalating once acknowledged, and records who and how', () => {
    const acks: string[] = [];
    const { router, clock, queued, store } = rig({
      audit: { acknowledged: (e) => acks.push(`${e.user} ${e.via} ${e.alert.kind}`) },
    });
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    const [delivery] = store.due(clock.now(), 10);
    const token = new URL(delivery?.message.ackUrl ?? '').searchParams.get('t') ?? '';
    const claim = checkAckToken(store.ackSecret(), token, clock.now());
    expect(claim.user).toBe('dan');
    clock.advance(5 * MIN);
    expect(router.acknowledge(claim.alertId, claim.user, 'link')?.ackedBy).toBe('dan');
    clock.advance(60 * MIN);
    router.tick();
    expect(queued()).toEqual(['raise:dan', 'raise:alice']);
    expect(acks).toEqual(['dan link trip']);
    expect(() => checkAckToken(store.ackSecret(), token, clock.now() + 24 * 60 * MIN)).toThrow(/expired/);
    expect(() => checkAckToken(store.ackSecret(), `${token.slice(0, -2)}AA`, clock.now())).toThrow(
      /not genuine/,
    );
  });

  it('groups a flapping condition into one alert and sends one "resolved" once it stayed clear', () => {
    const { router, clock, queued, store } = rig();
    for (let i = 0; i < 10; i++) {
      router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
      clock.advance(30_000);
      router.apply([{ type: 'clear', key: trip(0).key, at: clock.now() }]);
      clock.advance(30_000);
      router.tick();
    }
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    router.apply([{ type: 'clear', key: trip(0).key, at: clock.now() }]);
    router.acknowledge(store.recent(1)[0]?.id ?? '', 'alice', 'dashboard');
    clock.advance(299_000);
    router.tick();
    expect(queued()).toEqual(['raise:dan', 'raise:alice']);
    clock.advance(1000);
    router.tick();
    router.tick();
    expect(queued()).toEqual(['raise:dan', 'raise:alice', 'resolve:dan', 'resolve:alice']);
    expect(store.recent(5).map((a) => [a.status, a.flaps])).toEqual([['resolved', 10]]);
  });

  it('holds warnings back in quiet hours, never critical alerts, and goes to the admins when nobody else is there', () => {
    const { router, clock, store } = rig({ owners: { ownersOf: () => ({ owner: null, coBrewers: [] }) } });
    clock.set(Date.UTC(2026, 0, 7, 23)); // Wednesday 23:00: nobody on duty, quiet hours.
    router.apply([
      {
        type: 'raise',
        condition: { ...trip(clock.now()), key: 'band', kind: 'out-of-band', severity: 'warning' },
      },
    ]);
    router.apply([{ type: 'raise', condition: trip(clock.now(), 'lager') }]);
    const due = store
      .due(Number.MAX_SAFE_INTEGER, 10)
      .map((d) => [d.user, d.message.kind, new Date(d.nextAt).toISOString()]);
    expect(due).toEqual([
      ['root', 'trip', '2026-01-07T23:00:00.000Z'],
      ['root', 'out-of-band', '2026-01-08T07:00:00.000Z'],
    ]);
  });

  it('writes the message in the recipient language with the readings, what to do and the links', () => {
    const { router, clock, store } = rig();
    clock.set(Date.UTC(2026, 0, 5, 21)); // Monday 21:00: bob (English) is on duty.
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    const [fr, en] = store.due(clock.now(), 10).map((d) => d.message);
    expect(fr?.title).toBe('Arrêt de sécurité – Ale – cuve 1');
    expect(fr?.text).toContain('bière 24,1 °C, consigne 18,0 °C');
    expect(en?.title).toBe('Safety trip – Ale – cuve 1');
    expect(en?.text).toBe(
      'COBREW_ERR_PROBE_LOST\nbeer 24.1 °C, target 18.0 °C\nOutputs are off and latched. Check the fermenter, then clear the trip in the dashboard.',
    );
    expect(en?.link).toBe('http://localhost:8080/#/fermenters/ale');
    expect(en?.ackUrl).toMatch(/^http:\/\/localhost:8080\/api\/alerts\/ack\?t=[\w-]+\.[\w-]+$/);
  });

  it('a restart in the middle queues nothing twice and loses nothing', () => {
    const first = rig();
    first.router.apply([{ type: 'raise', condition: trip(first.clock.now()) }]);
    first.clock.advance(15 * MIN);
    first.store.close();
    const second = rig({ dir: first.dir, clock: first.clock });
    second.router.apply([{ type: 'raise', condition: trip(first.clock.now()) }]);
    second.router.tick();
    second.router.tick();
    expect(second.queued()).toEqual(['raise:dan', 'raise:alice', 'escalate:bob']);
    second.store.close();
  });

  it("tells the space's health to the admins only, once, and its recovery", () => {
    const { router, clock, queued, store } = rig();
    router.apply([
      {
        type: 'raise',
        condition: {
          key: 'space:backup',
          kind: 'backup-failing',
          severity: 'warning',
          fermenterId: null,
          facts: { detail: 'COBREW_ERR_BACKUP: disk full' },
          at: clock.now(),
          notifyResolved: true,
        },
      },
    ]);
    // alice is on duty, but a failing backup is the admins' to fix; nobody above them to escalate to.
    expect(queued()).toEqual(['raise:root']);
    const [alert] = store.recent(1);
    expect([alert?.told, alert?.level, alert?.nextEscalationAt]).toEqual([['root'], 2, null]);
    clock.advance(60 * MIN);
    router.tick();
    expect(queued()).toEqual(['raise:root']);
    router.apply([{ type: 'clear', key: 'space:backup', at: clock.now() }]);
    clock.advance(5 * MIN);
    router.tick();
    expect(queued()).toEqual(['raise:root', 'resolve:root']);
  });

  it("sends to the space's default channels what goes to the admins and to whoever set no channel, once", () => {
    const { router, clock, queued, store } = rig({
      owners: { ownersOf: () => ({ owner: 'nina', coBrewers: ['otto'] }) },
    });
    store.saveDefaults({
      lang: 'en',
      channels: { ntfy: { url: 'http://127.0.0.1:9/brewery', token: 'tk_space' } },
    });
    expect(router.contactOf(SPACE)).toEqual({
      lang: 'en',
      quietHours: null,
      channels: { ntfy: { url: 'http://127.0.0.1:9/brewery', token: 'tk_space' } },
    });
    // nina and otto set no channel: one message on the space's channel for both; alice has her own.
    router.apply([{ type: 'raise', condition: trip(clock.now()) }]);
    expect(queued()).toEqual([`raise:${SPACE}`, 'raise:alice']);
    const space = store.due(Number.MAX_SAFE_INTEGER, 10).find((d) => d.user === SPACE);
    expect([space?.channel, space?.message.lang, space?.message.title]).toEqual([
      'ntfy',
      'en',
      'Safety trip – Ale – cuve 1',
    ]);
    // Escalated to bob (the next on the rota), then to the admins: root and the space's channel again.
    clock.advance(15 * MIN);
    router.tick();
    clock.advance(15 * MIN);
    router.tick();
    expect(queued()).toEqual([
      `raise:${SPACE}`,
      'raise:alice',
      'escalate:bob',
      'escalate:root',
      `escalate:${SPACE}`,
    ]);
    // A test to a person never falls back on the space's channels.
    expect(() => router.test('nina')).toThrow(/COBREW_ERR_ALERT_NO_CHANNEL|no channel/);
    expect(router.test(SPACE).queued).toBe(1);
  });
});
