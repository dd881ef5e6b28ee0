// Batches in a real browser (Debian's Chromium) against the real application: brewer A starts a batch from
// a recipe with its fermentation steps and books the other fermenter; the overview shows the batch and the
// booking; brewer B can view A's fermenter but is refused a change, while the admin may change it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccounts } from '../../../dashboard/accounts/index.js';
import { ApiClient } from '../../helpers/api-client.js';
import { lager } from '../../recipes/commons/helpers.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_PASSWORD_COST, RIG_USERS, type Rig, startRig } from './rig.js';

const OTHER = { name: 'bastien', role: 'brewer', password: 'bastien brews' } as const;
const ADMIN = { name: 'agathe', role: 'admin', password: 'agathe admins' } as const;

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({ speed: 60 });
  const accounts = openAccounts({ dataDir: rig.dataDir, cost: RIG_PASSWORD_COST });
  try {
    for (const u of [OTHER, ADMIN]) await accounts.users.add(u.name, u.role, u.password);
  } finally {
    accounts.close();
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

describe('batches in a browser', () => {
  it('shows the batch and the next booking; another brewer views but cannot change, the admin can', {
    timeout: 120_000,
  }, async () => {
    // Brewer A, through the API the pages use: a recipe with fermentation steps, its batch, a booking.
    const a = new ApiClient(rig.url);
    await a.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password);
    const recipe = await a.post<{ latestVersionId: string }>('api/recipes', { document: lager('Helles') });
    const batch = await a.post<{ profile: unknown[] }>('api/batches', {
      versionId: recipe.body.latestVersionId,
      fermenterId: 'ale',
      name: 'Helles #1',
      profile: 'recipe',
    });
    expect(batch.status).toBe(201);
    expect(batch.body.profile).toHaveLength(2);
    const day = 24 * 3_600_000;
    const booking = {
      fermenterId: 'lager',
      name: 'Pils #2',
      startsAt: Date.now() + day,
      endsAt: Date.now() + 30 * day,
    };
    expect((await a.post('api/bookings', booking)).status).toBe(201);

    const page = await browser.newPage();
    await signIn(page, rig.url, OTHER);
    const ale = page.locator('[data-fermenter="ale"] [data-field="batch"]');
    await expect
      .poll(async () => (await ale.textContent()) ?? '', SOON)
      .toBe(`Batch: Helles #1 of ${RIG_USERS.brewer.name}`);
    await expect
      .poll(
        async () =>
          (await page.locator('[data-fermenter="lager"] [data-field="next-booking"]').textContent()) ?? '',
        SOON,
      )
      .toMatch(/^Next booking: Pils #2 \(brune\), /);
    // A booking over A's is refused, naming it.
    const b = new ApiClient(rig.url);
    await b.login(OTHER.name, OTHER.password);
    const clash = await b.post<{ message: string }>('api/bookings', { ...booking, name: 'Bock' });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/for batch "Pils #2" of brune/);

    await page.locator('[data-fermenter="ale"] h2 a').click();
    await page.getByTestId('controls').waitFor();
    await page.getByTestId('beer-setpoint').fill('15');
    await page.getByTestId('beer-setpoint').press('Enter');
    await expect
      .poll(async () => (await page.locator('[role=alert]').first().textContent()) ?? '', SOON)
      .toBe('This fermenter holds another brewer’s batch: you may view it, not change it.');

    await signIn(page, rig.url, ADMIN);
    await page.locator('[data-fermenter="ale"] h2 a').click();
    await page.getByTestId('controls').waitFor();
    await page.getByTestId('beer-setpoint').fill('15');
    await page.getByTestId('beer-setpoint').press('Enter');
    await expect.poll(async () => (await page.locator('.ok-text').textContent()) ?? '', SOON).toBe('Done.');
    await page.close();
  });
});
