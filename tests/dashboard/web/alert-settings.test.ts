// The alerts page in Chromium: an admin builds the duty rota (the form refuses an incomplete slot first), a
// brewer sets her webhook and quiet hours (refused while both ends are the same); then the alert router,
// reading what the page saved, tells her as the one on duty, holds a warning until her quiet hours end, and
// the running cobrew delivers a critical alert to her webhook at once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertRouter } from '../../../alerts/router.js';
import { AlertStore } from '../../../alerts/store.js';
import { systemClock } from '../../../common/clock.js';
import { alertsSettings, receiver } from '../../alerts/helpers.js';
import { addDashboardUser } from '../../helpers/api-client.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

const ADMIN = { name: 'ada', password: 'ada keeps the rota' };
const HOUR = 3_600_000;

let rig: Rig;
let browser: Browser;
let hooks: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  hooks = await receiver();
  rig = await startRig({ speed: 1, yaml: 'alerts:\n  timeZone: UTC\n' });
  await addDashboardUser(rig.dataDir, ADMIN.name, 'admin', ADMIN.password);
  browser = await launchBrowser({ locale: 'en-GB' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
  await hooks?.close();
});

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

it('an admin edits the rota, a brewer sets quiet hours, and the router uses both', async () => {
  const page = await browser.newPage();
  await signIn(page, rig.url, ADMIN);
  await page.locator('nav a[href="#/alerts"]').click();
  const rota = page.getByTestId('rota');
  await rota.getByRole('button', { name: 'Add a slot' }).click();
  const problem = rota.locator('[role=alert]');
  await rota.getByRole('button', { name: 'Save the rota' }).click();
  await expect.poll(() => problem.textContent(), SOON).toBe('Slot 1: choose who is on duty.');
  await page.locator('#rota-user-0').selectOption(RIG_USERS.brewer.name);
  await rota.getByRole('button', { name: 'Save the rota' }).click();
  await expect.poll(() => problem.textContent(), SOON).toBe('Slot 1: tick at least one day.');
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])
    await rota.getByRole('checkbox', { name: day }).check();
  // The same time at both ends: around the clock.
  await page.locator('#rota-from-0').fill('06:00');
  await page.locator('#rota-to-0').fill('06:00');
  await rota.getByRole('button', { name: 'Save the rota' }).click();
  await expect.poll(() => rota.locator('[role=status]').textContent(), SOON).toBe('Saved.');
  expect(await problem.count()).toBe(0);
  // The space's channels are offered to the admin only.
  expect(await page.getByTestId('space-channels').count()).toBe(1);

  await signIn(page, rig.url, RIG_USERS.brewer);
  await page.locator('nav a[href="#/alerts"]').click();
  await expect
    .poll(() => page.locator('[data-testid=rota] li').textContent(), SOON)
    .toBe('brune · Mon, Tue, Wed, Thu, Fri, Sat, Sun · 06:00–06:00');
  expect(await page.getByTestId('space-channels').count()).toBe(0);
  await page.locator('#alert-webhook').fill(`${hooks.url}/brune`);
  await page.locator('#alert-secret').fill('a-secret-of-sixteen');
  await page.locator('#alert-quiet').check();
  const now = Date.now();
  const from = hhmm(now - HOUR);
  await page.locator('#alert-quiet-from').fill(from);
  await page.locator('#alert-quiet-to').fill(from);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(() => page.locator('form [role=alert]').textContent(), SOON)
    .toBe('Quiet hours must start and end at different times.');
  const to = hhmm(now + 2 * HOUR);
  await page.locator('#alert-quiet-to').fill(to);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => page.locator('form [role=status]').first().textContent(), SOON).toBe('Saved.');
  expect(await page.locator('form [role=alert]').count()).toBe(0);

  // What the page saved, as the router reads it from alerts.db.
  const store = new AlertStore(rig.dataDir);
  try {
    expect(store.savedRota()).toEqual([
      {
        user: 'brune',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        from: '06:00',
        to: '06:00',
      },
    ]);
    expect(store.contact('brune').quietHours).toEqual({ from, to });
    const router = new AlertRouter({
      settings: alertsSettings({ timeZone: 'UTC' }),
      store,
      clock: systemClock,
      owners: { ownersOf: () => ({ owner: null, coBrewers: [] }) },
      people: { admins: () => [ADMIN.name] },
    });
    const at = Date.now();
    const raise = (key: string, severity: 'warning' | 'critical') =>
      router.apply([
        {
          type: 'raise',
          condition: {
            key,
            kind: severity === 'critical' ? 'trip' : 'out-of-band',
            severity,
            fermenterId: 'ale',
            facts: { beerC: 23, beerSetpointC: 18 },
            at,
            notifyResolved: true,
          },
        },
      ]);
    raise('out-of-band:ale', 'warning');
    raise('trip:ale:COBREW_ERR_PROBE_LOST', 'critical');
    const [trip, band] = store.recent(2);
    // Nobody brews on `ale`: the one on duty is told, not the admins.
    expect([band?.told, trip?.told]).toEqual([['brune'], ['brune']]);
    const [held] = store.deliveriesOf(band?.id ?? '');
    const quietEnd = Math.floor((now + 2 * HOUR) / 60_000) * 60_000;
    expect([held?.user, held?.status, held?.nextAt]).toEqual(['brune', 'pending', quietEnd]);
    // The critical one goes through her quiet hours, sent by the running cobrew.
    await expect
      .poll(() => hooks.hits.filter((h) => h.url === '/brune').map((h) => JSON.parse(h.body).kind), SOON)
      .toEqual(['trip']);
  } finally {
    store.close();
  }
});
