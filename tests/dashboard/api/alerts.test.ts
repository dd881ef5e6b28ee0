// The alerts API on the real application: own channels with secrets masked, a test alert that reaches a
// local webhook signed with the stored secret, admin-only rota editing, acknowledgement from the dashboard
// (in the audit log) and by the signed link.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackToken } from '../../../alerts/ack-link.js';
import { AlertStore } from '../../../alerts/store.js';
import { receiver } from '../../alerts/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { type Rig, startRig } from './rig.js';

const SECRET = 'vera-webhook-secret-0123';

describe('alerts API', () => {
  let rig: Rig;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hooks = await receiver();
    rig = await startRig();
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

  it('lets admins only edit the rota', async () => {
    const rota = [{ user: 'mila', days: ['sat', 'sun'], from: '20:00', to: '08:00' }];
    expect((await (await rig.as('member')).request('PUT', 'api/alerts/rota', { rota })).status).toBe(403);
    const ada = await rig.as('admin');
    expect((await ada.request('PUT', 'api/alerts/rota', { rota })).status).toBe(200);
    expect((await ada.get('api/alerts/rota')).body).toEqual({ rota });
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
