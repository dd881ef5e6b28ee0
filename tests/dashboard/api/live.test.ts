// The live feed and the command path at the dashboard's boundary: a real broker and MQTT clients, no bridge,
// so that incidents, availability, silence and a lost broker can be staged.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../app/log.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../broker/embedded.js';
import { IspindelRouter } from '../../../broker/ispindel-listener.js';
import { type Accounts, openAccounts } from '../../../dashboard/accounts/index.js';
import { type CommandSender, startCommandSender } from '../../../dashboard/api/command-sender.js';
import { buildDashboard, listenDashboard } from '../../../dashboard/server.js';
import { type FeedEvent, type StateFeed, startStateFeed } from '../../../dashboard/state-feed.js';
import { waitFor } from '../../broker/helpers.js';
import { ApiClient, TEST_PASSWORD_COST } from '../../helpers/api-client.js';
import { openLive } from './sse.js';

const log = createLogger({ level: 'silent' });

const INCIDENT = {
  id: 1,
  fermenterId: 'ale',
  code: 'COBREW_ERR_SENSOR_STALE',
  severity: 'trip',
  at: 1_700_000_000_000,
  message: 'The beer probe stopped answering; check its wiring, then clear the trip',
  context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
};

describe('live feed and commands at the boundary', () => {
  let broker: EmbeddedBroker;
  let feed: StateFeed;
  let commands: CommandSender;
  let accounts: Accounts;
  let dataDir: string;
  let app: FastifyInstance;
  let base: string;
  let bridge: MqttClient;
  let listening = 0;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    feed = await startStateFeed({ url: broker.url, baseTopic: 'cobrew', log });
    commands = await startCommandSender({ url: broker.url, baseTopic: 'cobrew', log, timeoutMs: 300 });
    dataDir = await mkdtemp(join(tmpdir(), 'cobrew-live-'));
    accounts = openAccounts({ dataDir, cost: TEST_PASSWORD_COST });
    await accounts.users.add('brice', 'brewer', 'brice secret 1');
    // Stands for a bridge: hears the commands, and answers only when a test makes it.
    bridge = await connectAsync(broker.url, { reconnectPeriod: 0 });
    await bridge.subscribeAsync('cobrew/fermenter/ale/set', { qos: 1 });
    app = buildDashboard({
      fermenters: [{ id: 'ale', name: 'Ale' }],
      states: feed.store,
      // Counts who listens, to see that a closed stream lets go.
      feed: {
        subscribe: (listener: (e: FeedEvent) => void) => {
          listening++;
          const stop = feed.subscribe(listener);
          return () => {
            listening--;
            stop();
          };
        },
      },
      mqttConnected: feed.connected,
      broker: { kind: 'embedded', url: broker.url },
      ispindels: { router: new IspindelRouter([], []), now: Date.now },
      accounts,
      commands,
      http: { trustProxy: false, secureCookies: 'always' },
      webRoot: null,
      livePingMs: 100,
      log,
    });
    base = `http://127.0.0.1:${await listenDashboard(app, '127.0.0.1', 0)}/`;
  });
  afterAll(async () => {
    await app.close();
    await bridge.endAsync();
    await feed.close();
    await broker.close();
    accounts.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const brewer = async () => {
    const c = new ApiClient(base);
    expect((await c.login('brice', 'brice secret 1')).status).toBe(200);
    return c;
  };

  it('marks the cookie Secure with http.secureCookies: always, even over plain http', async () => {
    const c = new ApiClient(base);
    const res = await c.login('brice', 'brice secret 1');
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });

  it('streams incidents and availability heard on MQTT, pings, and lets go of a closed stream', async () => {
    const c = await brewer();
    const live = await openLive(base, c.session);
    expect(live.status).toBe(200);
    await waitFor(() => listening === 1, 'the stream listening');
    await bridge.publishAsync('cobrew/fermenter/ale/availability', 'online', { qos: 1, retain: true });
    await bridge.publishAsync('cobrew/fermenter/ale/incident', JSON.stringify(INCIDENT), { qos: 1 });
    // Neither a malformed incident nor one under another fermenter's topic goes out.
    await bridge.publishAsync('cobrew/fermenter/ale/incident', '{"id": "x"}', { qos: 1 });
    await bridge.publishAsync('cobrew/fermenter/lager/incident', JSON.stringify(INCIDENT), { qos: 1 });
    await live.next((e) => e.event === 'availability', 'availability');
    const incident = await live.next((e) => e.event === 'incident', 'the incident');
    expect(incident.data).toEqual(INCIDENT);
    await bridge.publishAsync('cobrew/fermenter/ale/availability', 'offline', { qos: 1, retain: true });
    await live.next(
      (e) => e.event === 'availability' && (e.data as { online: boolean }).online === false,
      'offline',
    );
    expect(live.events.filter((e) => e.event === 'incident')).toHaveLength(1);
    await waitFor(() => live.comments.includes(': ping'), 'a keep-alive comment');

    live.close();
    await waitFor(() => listening === 0, 'the closed stream forgotten');
    const streams = await Promise.all([1, 2, 3].map(() => openLive(base, c.session)));
    await waitFor(() => listening === 3, 'three streams');
    for (const s of streams) s.close();
    await waitFor(() => listening === 0, 'all three forgotten');
  });

  it('answers COBREW_ERR_BRIDGE_TIMEOUT when no bridge answers, and audits it', async () => {
    const c = await brewer();
    const heard: string[] = [];
    bridge.on('message', (topic, payload) => {
      if (topic === 'cobrew/fermenter/ale/set') heard.push(payload.toString());
    });
    const res = await c.post<{ code: string; message: string; statusCode: number }>(
      'api/fermenters/ale/set',
      {
        chamberSetpointC: 4,
      },
    );
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('COBREW_ERR_BRIDGE_TIMEOUT');
    expect(res.body.message).toContain('within 300 ms');
    // It did go out, with a transaction of the server's and the person's name, not retained.
    expect(heard).toHaveLength(1);
    expect(JSON.parse(heard[0] as string)).toEqual({
      chamberSetpointC: 4,
      transaction: expect.any(String),
      by: 'brice',
    });
    const { body } = await c.get<{ entries: Array<{ result: string; error: { code: string } }> }>(
      'api/audit',
    );
    expect(body.entries[0]).toMatchObject({
      result: 'timeout',
      error: { code: 'COBREW_ERR_BRIDGE_TIMEOUT' },
    });
  });

  it('takes only the answer with its own transaction', async () => {
    const c = await brewer();
    const answerer = (topic: string, payload: Buffer) => {
      if (topic !== 'cobrew/fermenter/ale/set') return;
      const { transaction } = JSON.parse(payload.toString()) as { transaction: string };
      const respond = (body: object) =>
        bridge.publish('cobrew/fermenter/ale/set/response', JSON.stringify(body), { qos: 1 });
      respond({ status: 'ok', transaction: 'someone-else' });
      respond({ status: 'nonsense' });
      respond({ status: 'error', error: { code: 'COBREW_ERR_INVALID', message: 'no good' }, transaction });
    };
    bridge.on('message', answerer);
    try {
      const res = await c.post<{ code: string; message: string }>('api/fermenters/ale/set', { mode: 'off' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'COBREW_ERR_INVALID', message: 'no good' });
    } finally {
      bridge.off('message', answerer);
    }
  });

  it('answers 503 and audits "unsent" when the dashboard has lost the broker', async () => {
    const c = await brewer();
    await commands.close();
    const res = await c.post<{ code: string }>('api/fermenters/ale/set', { mode: 'off' });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('COBREW_ERR_MQTT_DISCONNECTED');
    const { body } = await c.get<{ entries: Array<{ result: string }> }>('api/audit?limit=1');
    expect(body.entries[0]?.result).toBe('unsent');
  });

  it('ends open streams when the server closes', async () => {
    const c = await brewer();
    const live = await openLive(base, c.session);
    await waitFor(() => listening === 1, 'the stream listening');
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(2000);
    await waitFor(() => listening === 0, 'the stream ended');
    live.close();
  });
});
