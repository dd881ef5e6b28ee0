// Webhook, ntfy and Telegram against local HTTP servers: the documented request shapes (URL, method,
// headers, body, signature), and the dispatcher's answer to 429 with Retry-After, 5xx, timeouts and refusals.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ntfyChannel } from '../../alerts/channels/ntfy.js';
import { telegramChannel } from '../../alerts/channels/telegram.js';
import { webhookChannel } from '../../alerts/channels/webhook.js';
import type { Contact } from '../../alerts/contact-schema.js';
import { Dispatcher } from '../../alerts/dispatcher.js';
import { AlertRouter } from '../../alerts/router.js';
import { AlertStore } from '../../alerts/store.js';
import { ManualClock } from '../../common/clock.js';
import { alertsSettings, receiver, tempDir } from './helpers.js';

const SECRET = 'a-webhook-secret-of-the-receiver';

async function rig(contact: Contact['channels'], timeoutMs = 2000, telegramApi = 'http://127.0.0.1:9') {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  const store = new AlertStore(tempDir());
  store.saveContact('ann', { lang: 'en', quietHours: null, channels: contact });
  store.saveContact('root', { lang: 'en', quietHours: null, channels: {} });
  const router = new AlertRouter({
    settings: alertsSettings({
      rota: [{ user: 'ann', days: ['mon'], from: '00:00', to: '24:00' }],
      timeZone: 'UTC',
      maxAttempts: 4,
    }),
    store,
    clock,
    owners: { ownersOf: () => ({ owner: null, coBrewers: [] }) },
    people: { admins: () => ['root'] },
  });
  const dispatcher = new Dispatcher({
    store,
    contactOf: (user) => router.contactOf(user),
    clock,
    channels: {
      webhook: webhookChannel(timeoutMs, () => clock.now()),
      ntfy: ntfyChannel(timeoutMs),
      telegram: telegramChannel({ botToken: '123456:ABCdef', apiUrl: telegramApi }, timeoutMs),
    },
    perChannelPerHour: 3,
    maxAttempts: 4,
    leaseMs: 10_000,
    onGaveUp: (d, e) => router.channelFailed(d.user, d.channel, e),
    onSent: (d) => router.channelWorked(d.user, d.channel),
  });
  const raise = (n = 1) =>
    router.apply([
      {
        type: 'raise',
        condition: {
          key: `trip:ale:${n}`,
          kind: 'trip',
          severity: 'critical',
          fermenterId: 'ale',
          facts: { beerC: 25 },
          at: clock.now(),
          notifyResolved: true,
        },
      },
    ]);
  return { clock, store, router, dispatcher, raise };
}

describe('alert channels', () => {
  it('webhook: signed JSON, an idempotency key, retried after 429 Retry-After, 5xx and a timeout', async () => {
    const server = await receiver([
      { status: 429, headers: { 'retry-after': '30' } },
      { status: 503 },
      'hang',
      { status: 204, body: '' },
    ]);
    try {
      const { clock, store, dispatcher, raise } = await rig(
        { webhook: { url: `${server.url}/hook`, secret: SECRET } },
        300,
      );
      raise();
      await dispatcher.pass();
      const [d] = store.deliveriesOf(store.recent(1)[0]?.id ?? '');
      expect(d?.nextAt).toBe(clock.now() + 30_000);
      clock.advance(30_000);
      await dispatcher.pass();
      clock.advance(2000);
      await dispatcher.pass();
      expect(store.deliveriesOf(d?.alertId ?? '')[0]?.lastError).toMatch(/no answer within 300 ms/);
      clock.advance(4000);
      await dispatcher.pass();
      const final = store.deliveriesOf(d?.alertId ?? '')[0];
      expect([final?.status, final?.attempts]).toEqual(['sent', 4]);
      expect(server.hits).toHaveLength(4);
      const hit = server.hits[3];
      expect([hit?.method, hit?.url, hit?.headers['content-type']]).toEqual([
        'POST',
        '/hook',
        'application/json',
      ]);
      const ts = String(hit?.headers['x-cobrew-timestamp']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${hit?.body}`).digest('hex')}`;
      expect(hit?.headers['x-cobrew-signature']).toBe(expected);
      expect(hit?.headers['idempotency-key']).toBe(d?.idemKey);
      // Every attempt carries the same key, so the receiver can drop a repeat.
      expect(new Set(server.hits.map((h) => h.headers['idempotency-key'])).size).toBe(1);
      const body = JSON.parse(hit?.body ?? '');
      expect(Object.keys(body)).toEqual([
        'version',
        'id',
        'alertId',
        'event',
        'kind',
        'severity',
        'fermenterId',
        'lang',
        'title',
        'text',
        'link',
        'ackUrl',
        'at',
      ]);
      expect([body.event, body.kind, body.severity, body.fermenterId]).toEqual([
        'raise',
        'trip',
        'critical',
        'ale',
      ]);
    } finally {
      await server.close();
    }
  });

  it('webhook: a refusal (4xx) is given up at once and reported as a failing channel to the admins', async () => {
    const server = await receiver([{ status: 404 }]);
    try {
      const { store, dispatcher, raise } = await rig({
        webhook: { url: `${server.url}/gone`, secret: SECRET },
      });
      store.saveContact('root', {
        lang: 'en',
        quietHours: null,
        channels: { ntfy: { url: `${server.url}/root-topic` } },
      });
      raise();
      await dispatcher.pass();
      await dispatcher.pass();
      const [failing] = store.recent(1);
      expect(failing?.kind).toBe('channel-failing');
      expect(failing?.told).toEqual(['ann', 'root']);
      // ann has no other channel; root hears it on ntfy.
      expect(server.hits.map((h) => h.url)).toEqual(['/gone', '/']);
      expect(JSON.parse(server.hits[1]?.body ?? '').message).toContain('ann – webhook: HTTP 404');
    } finally {
      await server.close();
    }
  });

  it("a failing channel is told on the person's other channels, never itself, and resolved once it works again", async () => {
    // The webhook refuses its first message, then takes them again.
    let refusals = 1;
    const server = await receiver((hit) =>
      hit.url === '/hook' && refusals-- > 0 ? { status: 410 } : { status: 200, body: '{}' },
    );
    try {
      const { clock, store, router, dispatcher, raise } = await rig({
        webhook: { url: `${server.url}/hook`, secret: SECRET },
        ntfy: { url: `${server.url}/ann-topic` },
      });
      const seen = () => server.hits.map((h) => `${h.url} ${JSON.parse(h.body).title}`);
      raise(1);
      await dispatcher.pass();
      await dispatcher.pass();
      const [failing] = store.recent(1);
      expect([failing?.kind, failing?.told]).toEqual(['channel-failing', ['ann', 'root']]);
      // The trip on both channels; the webhook's failure on ntfy only.
      expect(seen().sort()).toEqual([
        '/ Alert channel failing – the space',
        '/ Safety trip – ale',
        '/hook Safety trip – ale',
      ]);
      // A later message gets through on the webhook: the failure is over, told once it stayed so.
      raise(2);
      await dispatcher.pass();
      expect(store.live(failing?.key ?? '')?.status).toBe('clearing');
      clock.advance(300_000);
      router.tick();
      await dispatcher.pass();
      expect(store.alert(failing?.id ?? '')?.status).toBe('resolved');
      // To ann on ntfy only; it waits for the rate limit (3 an hour here) like any other message.
      const resolved = () =>
        store
          .deliveriesOf(failing?.id ?? '')
          .filter((d) => d.purpose === 'resolve')
          .map((d) => `${d.user} ${d.channel} ${d.status}`);
      expect(resolved()).toEqual(['ann ntfy pending']);
      clock.advance(3_600_000);
      await dispatcher.pass();
      expect(resolved()).toEqual(['ann ntfy sent']);
    } finally {
      await server.close();
    }
  });

  it('ntfy: JSON to the server root with topic, priority and tags of the severity, actions and the token', async () => {
    const server = await receiver();
    try {
      const { dispatcher, raise } = await rig({
        ntfy: { url: `${server.url}/brewery-ann`, token: 'tk_secret' },
      });
      raise();
      await dispatcher.pass();
      const hit = server.hits[0];
      expect([hit?.method, hit?.url, hit?.headers.authorization]).toEqual(['POST', '/', 'Bearer tk_secret']);
      const body = JSON.parse(hit?.body ?? '');
      expect(body).toMatchObject({
        topic: 'brewery-ann',
        priority: 5,
        tags: ['rotating_light'],
        click: 'http://localhost:8080/#/fermenters/ale',
      });
      expect(body.title).toBe('Safety trip – ale');
      expect(body.actions.map((a: { label: string }) => a.label)).toEqual(['Open', 'Acknowledge']);
    } finally {
      await server.close();
    }
  });

  it('per person and channel, at most perChannelPerHour messages an hour; the rest wait', async () => {
    const server = await receiver();
    try {
      const { clock, dispatcher, raise, store } = await rig({ ntfy: { url: `${server.url}/t` } });
      for (let i = 0; i < 5; i++) raise(i);
      await dispatcher.pass();
      expect(server.hits).toHaveLength(3);
      expect(store.pendingCount()).toBe(2);
      clock.advance(3_600_000);
      await dispatcher.pass();
      expect(server.hits).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('Telegram: sendMessage with the chat and the text, and the retry_after of a 429', async () => {
    const server = await receiver([
      {
        status: 429,
        body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}',
      },
    ]);
    try {
      const { clock, dispatcher, raise, store } = await rig(
        { telegram: { chatId: '-1001234' } },
        2000,
        server.url,
      );
      raise();
      await dispatcher.pass();
      const [d] = store.due(Number.MAX_SAFE_INTEGER, 1);
      expect([d?.nextAt, d?.lastError?.includes('123456:ABCdef')]).toEqual([clock.now() + 7000, false]);
      clock.advance(7000);
      await dispatcher.pass();
      expect(server.hits.map((h) => [h.method, h.url])).toEqual([
        ['POST', '/bot123456:ABCdef/sendMessage'],
        ['POST', '/bot123456:ABCdef/sendMessage'],
      ]);
      const body = JSON.parse(server.hits[1]?.body ?? '');
      expect(body.chat_id).toBe('-1001234');
      expect(body.text).toMatch(
        /^Safety trip – ale\nbeer 25\.0 °C\n.*\nhttp:\/\/localhost:8080\/#\/fermenters\/ale\nhttp:\/\/localhost:8080\/api\/alerts\/ack\?t=/s,
      );
      expect(store.pendingCount()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
