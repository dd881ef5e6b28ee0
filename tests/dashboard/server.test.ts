import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/log.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded.js';
import { IspindelRouter } from '../../broker/ispindel-listener.js';
import { type StatePublisher, startStatePublisher } from '../../broker/state-publisher.js';
import { type Accounts, openAccounts } from '../../dashboard/accounts/index.js';
import { type CommandSender, startCommandSender } from '../../dashboard/api/command-sender.js';
import { buildDashboard, type DashboardOptions, listenDashboard } from '../../dashboard/server.js';
import { type StateFeed, startStateFeed } from '../../dashboard/state-feed.js';
import { FakeSource, waitFor } from '../broker/helpers.js';
import { TEST_PASSWORD_COST } from '../helpers/api-client.js';

const logLines: Array<Record<string, unknown>> = [];
const log = createLogger({
  level: 'debug',
  destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
});

/** No iSpindel here: tests/broker/ispindel-wiring.test.ts covers them. */
const ispindels = { router: new IspindelRouter([], []), now: Date.now };

describe('dashboard over MQTT', () => {
  let broker: EmbeddedBroker;
  let publisher: StatePublisher;
  let feed: StateFeed;
  let app: FastifyInstance;
  let dataDir: string;
  let accounts: Accounts;
  let commands: CommandSender;
  let cookie: string;
  const options = (o: Pick<DashboardOptions, 'fermenters' | 'mqttConnected'>): DashboardOptions => ({
    ...o,
    states: feed.store,
    feed,
    broker: { kind: 'embedded', url: broker.url },
    ispindels,
    accounts,
    commands,
    // The pages without logging in, as on a kiosk screen (tests/hostile covers the default).
    http: { trustProxy: false, secureCookies: 'auto', publicStatus: true },
    webRoot: null,
    log,
  });
  const ale = new FakeSource('ale');
  const lager = new FakeSource('lager');

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    publisher = await startStatePublisher({
      url: broker.url,
      baseTopic: 'cobrew',
      bridgeId: 'test',
      statePeriodMs: 100,
      sources: [ale, lager],
    });
    feed = await startStateFeed({ url: broker.url, baseTopic: 'cobrew', log });
    commands = await startCommandSender({ url: broker.url, baseTopic: 'cobrew', log });
    dataDir = await mkdtemp(join(tmpdir(), 'cobrew-dashboard-'));
    accounts = openAccounts({ dataDir, cost: TEST_PASSWORD_COST });
    await accounts.users.add('vera', 'viewer', 'vera secret 1');
    app = buildDashboard(
      options({
        fermenters: [
          { id: 'ale', name: 'Ale – cuve 1' },
          { id: 'lager', name: 'Lager – cuve 2' },
        ],
        mqttConnected: feed.connected,
      }),
    );
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'vera', password: 'vera secret 1' },
    });
    cookie = `cobrew_session=${login.cookies.find((c) => c.name === 'cobrew_session')?.value}`;
  });
  afterAll(async () => {
    await publisher.stop();
    await app.close();
    await commands.close();
    await feed.close();
    await broker.close();
    accounts.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = async () =>
    (await app.inject({ url: '/api/fermenters', headers: { cookie } })).json<{
      fermenters: Array<{
        id: string;
        name: string;
        state: Record<string, unknown> | null;
        online: boolean | null;
      }>;
    }>();

  it('lists configured fermenters with no data yet before any state arrives', async () => {
    const body = await api();
    // The bridge's "online" may already be in: availability is retained and comes before any state.
    expect(body.fermenters.map(({ online: _, ...f }) => f)).toEqual([
      { id: 'ale', name: 'Ale – cuve 1', state: null, receivedAt: null },
      { id: 'lager', name: 'Lager – cuve 2', state: null, receivedAt: null },
    ]);
    const en = await app.inject({ url: '/', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toContain('text/html');
    expect(en.body.match(/No data yet/g)).toHaveLength(2);
    const fr = await app.inject({ url: '/?lang=fr' });
    expect(fr.body.match(/Pas encore de données/g)).toHaveLength(2);
  });

  it('shows states published through the real broker on the API and on the page, in French and English', async () => {
    ale.state({
      name: 'Ale – cuve 1',
      beerC: 18.46,
      outputs: { heat: true, cool: false },
      controllerState: 'heating',
    });
    lager.state({
      name: 'Lager – cuve 2',
      beerC: 10.04,
      safety: { status: 'tripped', trips: ['COBREW_ERR_SENSOR_STALE'], alarms: [] },
    });
    const body = await waitForApi((b) => b.fermenters.every((f) => f.state !== null && f.online === true));
    expect(body.fermenters[0]?.state).toMatchObject({
      id: 'ale',
      beerC: 18.46,
      outputs: { heat: true, cool: false },
    });
    expect(body.fermenters[1]?.state).toMatchObject({ safety: { status: 'tripped' } });

    const fr = (await app.inject({ url: '/', headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } }))
      .body;
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Bière');
    expect(fr).toContain('18,5\u00a0°C');
    expect(fr).toContain('Chauffage marche');
    expect(fr).toContain('Déclenchée');
    expect(fr).toContain('<code>COBREW_ERR_SENSOR_STALE</code>');
    expect(fr).toContain('1,042');
    expect(fr).not.toContain('Pas encore de données');

    const en = (await app.inject({ url: '/?lang=en', headers: { 'accept-language': 'fr' } })).body;
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Beer');
    expect(en).toContain('18.5\u00a0°C');
    expect(en).toContain('Heat on');
    expect(en).toContain('Tripped');

    const fragment = await app.inject({ url: '/fragments/fermenters?lang=fr' });
    expect(fragment.body).toContain('id="fermenter-lager"');
    expect(fragment.body).not.toContain('<html');
  });

  it('drops an invalid state payload and logs why', async () => {
    const rogue = await connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      await rogue.publishAsync('cobrew/fermenter/ale/state', JSON.stringify({ id: 'ale', beerC: 'warm' }), {
        qos: 1,
      });
      await rogue.publishAsync('cobrew/fermenter/ghost/state', '{not json', { qos: 1 });
      const dropped = () => logLines.filter((l) => l.msg === 'dropped an invalid state message');
      await waitFor(() => dropped().length >= 2, 'two drop log lines');
      const [schema, json] = dropped();
      expect(schema).toMatchObject({ level: 40, topic: 'cobrew/fermenter/ale/state' });
      expect(String(schema?.reason)).toContain('beerC: "warm" is not allowed');
      expect(String(schema?.reason)).toContain('mode: missing; it is required');
      expect(json).toMatchObject({ topic: 'cobrew/fermenter/ghost/state' });
      expect(String(json?.reason)).toMatch(/^not JSON/);
    } finally {
      await rogue.endAsync();
    }
    const body = await api();
    expect(body.fermenters.map((f) => f.id)).toEqual(['ale', 'lager']);
    expect(body.fermenters[0]?.state).toMatchObject({ beerC: 18.46 });
  });

  it('reports health', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', mqtt: 'connected' });
  });

  it('serves the page over real HTTP and refuses a port in use with a typed error', async () => {
    const port = await listenDashboard(app, '127.0.0.1', 0);
    const res = await fetch(`http://127.0.0.1:${port}/?lang=en`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Ale – cuve 1');
    const script = await fetch(`http://127.0.0.1:${port}/assets/status.js`);
    expect(await script.text()).toContain('/fragments/fermenters?lang=');

    const second = buildDashboard(options({ fermenters: [], mqttConnected: () => true }));
    try {
      const err = await listenDashboard(second, '127.0.0.1', port).then(
        () => expect.fail('listened on a port in use'),
        (e: { code: string; message: string }) => e,
      );
      expect(err.code).toBe('COBREW_ERR_HTTP_PORT_IN_USE');
      expect(err.message).toContain(String(port));
      expect(err.message).toContain('--http-port');
      expect(err.message).toContain('COBREW_HTTP_PORT');
    } finally {
      await second.close();
    }
  });

  async function waitForApi(ok: (b: Awaited<ReturnType<typeof api>>) => boolean) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const body = await api();
      if (ok(body)) return body;
      if (Date.now() > deadline)
        throw new Error(`API never showed the expected states: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
});
