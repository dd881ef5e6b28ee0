// The alerts API on the real application: own channels with secrets masked, a test alert that reaches a
// local webhook signed with the stored secret, admin-only rota editing naming only real people, the space's
// default channels (admins only, from cobrew.yaml then the dashboard, secrets masked) carrying a failing
// backup to the admins, a failing channel listed and told through the others, acknowledgement from the
// dashboard (in the audit log) and by the signed link.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackToken } from '../../../alerts/ack-link.js';
import { AlertStore } from '../../../alerts/store.js';
import { receiver } from '../../alerts/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { type Rig, startRig } from './rig.js';

const SECRET = 'vera-webhook-secret-0123';
const SPACE_SECRET = 'space-webhook-secret-from-yaml-9876';

describe('alerts API', () => {
  let rig: Rig;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    // A webhook that is gone: its messages are refused (404).
    hooks = await receiver((hit) => (hit.url === '/gone' ? { status: 404, body: '' } : { status: 200 }));
    // Nobody on duty and no batch: the simulated fermenters' own alerts, if any, go to the admins.
    // Quiet hours well away from now (the clock runs ×60), so warnings go at once.
    const hhmm = (h: number) => `${String((new Date().getUTCHours() + h) % 24).padStart(2, '0')}:00`;
    rig = await startRig({
      yaml: [
        'alerts:',
        '  timeZone: UTC',
        `  quietHours: { from: "${hhmm(6)}", to: "${hhmm(7)}" }`,
        '  defaults:',
        '    lang: en',
        '    channels:',
        `      webhook: { url: "${hooks.url}/space-yaml", secret: "${SPACE_SECRET}" }`,
      ].join('\n'),
    });
  }, 60_000);
  afterAll(async () => {
    await rig?.stop();
    await hooks?.close();
  });

  it('keeps my channels, shows secrets masked, keeps a masked secret, and sends me a signed test alert', async () => {
    const vera = await rig.as('viewer');
    const contact = {
      lang: 'en',
      quietHours: { from: '23:00', to: '06:00' },
      channels: { webhook: { url: `${hooks.url}/vera`, secret: SECRET } },
    };
    const put = await vera.request('PUT', 'api/alerts/contact', contact);
    expect(put.status).toBe(200);
    expect((await vera.get<typeof contact>('api/alerts/contact')).body.channels.webhook.secret).toBe('…0123');
    const again = await vera.request('PUT', 'api/alerts/contact', {
      ...contact,
      channels: { webhook: { url: `${hooks.url}/vera`, secret: '…0123' } },
    });
    expect(again.status).toBe(200);
    const bad = await vera.request<{ code: string }>('PUT', 'api/alerts/contact', { ...contact, lang: 'de' });
    expect([bad.status, bad.body.code]).toEqual([400, 'COBREW_ERR_INVALID']);

    const test = await vera.post<{ id: string; kind: string }>('api/alerts/test', {});
    expect([test.status, test.body.kind]).toEqual([202, 'test']);
    const hit = await eventually(async () => hooks.hits.find((h) => h.url === '/vera'), 'the test alert');
    const ts = String(hit.headers['x-cobrew-timestamp']);
    expect(hit.headers['x-cobrew-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(`${ts}.${hit.body}`).digest('hex')}`,
    );
    expect(JSON.parse(hit.body)).toMatchObject({
      event: 'test',
      kind: 'test',
      title: 'Test alert – the space',
    });

    const none = await (await rig.as('brewer')).post<{ code: string }>('api/alerts/test', {
      channel: 'email',
    });
    expect([none.status, none.body.code]).toEqual([400, 'COBREW_ERR_ALERT_NO_CHANNEL']);

    const list = await vera.get<{ alerts: Array<{ id: string; deliveries: Array<{ status: string }> }> }>(
      'api/alerts',
    );
    expect(list.body.alerts[0]?.id).toBe(test.body.id);
  });

  it('lets admins only edit the rota, naming only people who have an account', async () => {
    const rota = [{ user: 'mila', days: ['sat', 'sun'], from: '20:00', to: '08:00' }];
    expect((await (await rig.as('member')).request('PUT', 'api/alerts/rota', { rota })).status).toBe(403);
    const ada = await rig.as('admin');
    expect((await ada.request('PUT', 'api/alerts/rota', { rota })).status).toBe(200);
    expect((await ada.get('api/alerts/rota')).body).toEqual({
      rota,
      people: ['ada', 'brice', 'mila', 'vera'],
    });
    const ghost = await ada.request<{ code: string; message: string }>('PUT', 'api/alerts/rota', {
      rota: [...rota, { user: 'ghost', days: ['mon'], from: '08:00', to: '18:00' }],
    });
    expect([ghost.status, ghost.body.code]).toEqual([400, 'COBREW_ERR_ALERT_ROTA_USER']);
    expect(ghost.body.message).toContain('"ghost"');
    expect((await ada.get<{ rota: unknown }>('api/alerts/rota')).body.rota).toEqual(rota);
  });

  it("keeps the space's default channels for admins only, masked, and sends them what goes to the admins", async () => {
    const ada = await rig.as('admin');
    for (const person of ['member', 'brewer', 'viewer'] as const) {
      const c = await rig.as(person);
      expect((await c.get('api/alerts/defaults')).status).toBe(403);
      expect((await c.request('PUT', 'api/alerts/defaults', { lang: 'fr', channels: {} })).status).toBe(403);
      expect((await c.post('api/alerts/defaults/test', {})).status).toBe(403);
    }
    // Without the session's CSRF token an admin's change is refused too.
    const noCsrf = await rig.as('admin');
    noCsrf.csrfToken = null;
    const forged = await noCsrf.request<{ code: string }>('PUT', 'api/alerts/defaults', {
      lang: 'fr',
      channels: {},
    });
    expect([forged.status, forged.body.code]).toEqual([403, 'COBREW_ERR_CSRF']);

    // cobrew.yaml's, the secret masked.
    const fromYaml = await ada.get<{ lang: string; channels: { webhook: { url: string; secret: string } } }>(
      'api/alerts/defaults',
    );
    expect(fromYaml.body).toEqual({
      lang: 'en',
      channels: { webhook: { url: `${hooks.url}/space-yaml`, secret: '…9876' } },
    });
    // The admin moves it to another URL, sending the masked secret back: the stored one is kept.
    const put = await ada.request<typeof fromYaml.body>('PUT', 'api/alerts/defaults', {
      lang: 'fr',
      channels: { webhook: { url: `${hooks.url}/space`, secret: '…9876' } },
    });
    expect(put.body).toEqual({
      lang: 'fr',
      channels: { webhook: { url: `${hooks.url}/space`, secret: '…9876' } },
    });
    const bad = await ada.request<{ code: string }>('PUT', 'api/alerts/defaults', {
      lang: 'fr',
      channels: { ntfy: { url: 'not a url' } },
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'COBREW_ERR_INVALID']);

    const test = await ada.post<{ kind: string; told: string[] }>('api/alerts/defaults/test', {});
    expect([test.status, test.body.kind]).toEqual([202, 'test']);
    const hit = await eventually(async () => hooks.hits.find((h) => h.url === '/space'), 'the test');
    const ts = String(hit.headers['x-cobrew-timestamp']);
    expect(hit.headers['x-cobrew-signature']).toBe(
      `sha256=${createHmac('sha256', SPACE_SECRET).update(`${ts}.${hit.body}`).digest('hex')}`,
    );
    expect(JSON.parse(hit.body)).toMatchObject({
      event: 'test',
      lang: 'fr',
      title: 'Alerte de test – l’espace',
    });

    // A failing scheduled backup is the admins': ada has no channel, so the space's webhook carries it.
    rig.app.spaceHealth({ check: 'backup', failing: true, detail: 'COBREW_ERR_BACKUP: no space left' });
    const raised = await eventually(
      async () => hooks.hits.find((h) => h.url === '/space' && JSON.parse(h.body).kind === 'backup-failing'),
      'the backup-failing alert',
    );
    expect(JSON.parse(raised.body)).toMatchObject({ event: 'raise', severity: 'warning', fermenterId: null });
    const listed = await ada.get<{ alerts: Array<{ kind: string; told: string[]; level: number }> }>(
      'api/alerts',
    );
    expect(listed.body.alerts.find((a) => a.kind === 'backup-failing')).toMatchObject({
      told: ['ada'],
      level: 2,
    });
    // Recovered: one "resolved" once it stayed clear for groupSeconds (300 s, 5 s at ×60).
    rig.app.spaceHealth({ check: 'backup', failing: false, detail: 'the last scheduled backup was written' });
    await eventually(
      async () =>
        hooks.hits.find(
          (h) =>
            h.url === '/space' &&
            JSON.parse(h.body).kind === 'backup-failing' &&
            JSON.parse(h.body).event === 'resolve',
        ),
      'the resolved message',
      15_000,
    );
  }, 30_000);

  it('reports a failing channel on the alerts list and through the other channels, never the failing one', async () => {
    const ada = await rig.as('admin');
    await ada.request('PUT', 'api/alerts/contact', {
      lang: 'en',
      quietHours: null,
      channels: {
        webhook: { url: `${hooks.url}/gone`, secret: 'ada-webhook-secret-00' },
        ntfy: { url: `${hooks.url}/ada-topic` },
      },
    });
    rig.app.spaceHealth({ check: 'mirror', failing: true, detail: '1200 readings queued' });
    const body = (h: { body: string }) => JSON.parse(h.body) as Record<string, string>;
    // ada hears on ntfy that her webhook fails; the space's channel carries it to the admins too.
    const onNtfy = await eventually(
      async () =>
        hooks.hits.find(
          (h) =>
            h.url === '/' && body(h).topic === 'ada-topic' && /channel failing/.test(body(h).title ?? ''),
        ),
      'the channel-failing message on ntfy',
    );
    expect(body(onNtfy).message).toContain('ada – webhook: HTTP 404');
    await eventually(
      async () => hooks.hits.find((h) => h.url === '/space' && body(h).kind === 'channel-failing'),
      "the channel-failing message on the space's channel",
    );
    // The failing webhook was tried once, for the mirror alert, and not for its own failure.
    expect(hooks.hits.filter((h) => h.url === '/gone').map((h) => body(h).kind)).toEqual(['mirror-failing']);

    type Listed = {
      kind: string;
      status: string;
      told: string[];
      facts: { detail?: string };
      deliveries: Array<{ user: string; channel: string; status: string; lastError: string | null }>;
    };
    // Listed once both messages are marked sent (the receiver may answer just before).
    const list = await eventually(async () => {
      const r = await ada.get<{ alerts: Listed[] }>('api/alerts');
      const f = r.body.alerts.find((a) => a.kind === 'channel-failing');
      return f?.deliveries.every((d) => d.status === 'sent') === true && r;
    }, 'the failing channel on the alerts list');
    const failing = list.body.alerts.find((a) => a.kind === 'channel-failing');
    expect(failing).toMatchObject({
      status: 'open',
      told: ['ada'],
      facts: { detail: 'ada – webhook: HTTP 404' },
    });
    expect(failing?.deliveries.map((d) => `${d.user} ${d.channel} ${d.status}`).sort()).toEqual([
      '@space webhook sent',
      'ada ntfy sent',
    ]);
    const mirror = list.body.alerts.find((a) => a.kind === 'mirror-failing');
    expect(mirror?.deliveries.find((d) => d.channel === 'webhook' && d.user === 'ada')).toMatchObject({
      status: 'failed',
      lastError: 'HTTP 404',
    });
  });

  it('acknowledges from the dashboard (audit log) and by the signed link', async () => {
    const vera = await rig.as('viewer');
    await vera.request('PUT', 'api/alerts/contact', {
      lang: 'fr',
      quietHours: null,
      channels: { webhook: { url: `${hooks.url}/vera`, secret: SECRET } },
    });
    const first = await vera.post<{ id: string }>('api/alerts/test', {});
    expect((await vera.post(`api/alerts/${first.body.id}/ack`)).status).toBe(403);
    const mila = await rig.as('member');
    const acked = await mila.post<{ ackedBy: string; ackedVia: string }>(`api/alerts/${first.body.id}/ack`);
    expect([acked.status, acked.body.ackedBy, acked.body.ackedVia]).toEqual([200, 'mila', 'dashboard']);
    const audit = await mila.get<{ entries: Array<{ user: string; command: Record<string, unknown> }> }>(
      'api/audit',
    );
    expect(audit.body.entries[0]).toMatchObject({
      user: 'mila',
      command: { acknowledge: first.body.id, via: 'dashboard' },
    });
    expect((await mila.post<{ code: string }>('api/alerts/nope/ack')).body.code).toBe(
      'COBREW_ERR_ALERT_UNKNOWN',
    );

    const second = await vera.post<{ id: string }>('api/alerts/test', {});
    const store = new AlertStore(rig.dataDir);
    const token = ackToken(store.ackSecret(), {
      alertId: second.body.id,
      user: 'vera',
      expiresAt: Date.now() + 3_600_000,
    });
    store.close();
    const anon = rig.client();
    const page = await fetch(new URL(`api/alerts/ack?t=${token}`, anon.base));
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('Acknowledged by vera')]);
    const forged = await fetch(new URL(`api/alerts/ack?t=${token.slice(0, -3)}abc`, anon.base));
    expect([forged.status, ((await forged.json()) as { code: string }).code]).toEqual([
      400,
      'COBREW_ERR_ALERT_ACK_LINK',
    ]);
  });
});
