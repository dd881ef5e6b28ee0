// The running alerts service looks at its delivery queue on its own tick: a delivery that failed is retried
// when its wait is over, with no timer of the dispatcher's own beside the tick.
import { describe, expect, it } from 'vitest';
import { webhookChannel } from '../../alerts/channels/webhook.js';
import { startAlerts } from '../../alerts/service.js';
import { silentLog } from '../../broker/log.js';
import { useCleanup } from '../broker/helpers.js';
import { alertsSettings, receiver, tempDir } from './helpers.js';

describe('alerts service', () => {
  const { cleanup, broker } = useCleanup();

  it('retries a failed delivery at the tick after its wait, from the tick alone', async () => {
    const b = await broker();
    const hooks = await receiver([{ status: 503 }, { status: 200 }]);
    cleanup.push(() => hooks.close());
    const alerts = await startAlerts({
      settings: alertsSettings({ timeZone: 'UTC' }),
      dataDir: tempDir(),
      url: b.url,
      baseTopic: 'cobrew',
      clientOptions: { clientId: 'cobrew-alrt-test' },
      clock: { now: () => Date.now() },
      owners: { ownersOf: () => ({ owner: null, coBrewers: [] }) },
      people: { admins: () => ['ann'] },
      log: silentLog,
      tickMs: 200,
      channels: { webhook: webhookChannel(2000, () => Date.now()) },
    });
    cleanup.push(() => alerts.close());
    alerts.store.saveContact('ann', {
      lang: 'en',
      quietHours: null,
      channels: { webhook: { url: `${hooks.url}/ann`, secret: 'a-secret-of-16-chars' } },
    });
    const { alert } = alerts.router.test('ann', 'webhook');
    // The first attempt goes at once (queuing nudges the dispatcher) and fails; the retry waits a second.
    const deadline = Date.now() + 5000;
    while (hooks.hits.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hooks.hits).toHaveLength(2);
    const [first, second] = hooks.hits.map((h) => h.at) as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(1000);
    // Found by a tick: a tick period after the wait at most (and some slack for a loaded machine).
    expect(second - first).toBeLessThan(1000 + 200 + 800);
    await new Promise((r) => setTimeout(r, 50));
    expect(alerts.store.deliveriesOf(alert.id).map((d) => d.status)).toEqual(['sent']);
  });
});
