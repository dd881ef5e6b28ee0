// The ledger page in a browser: a contribution its author recorded for themselves shows as waiting for
// confirmation, with no button for its author, and another brewer or admin confirms it with one click.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, addDashboardUser } from '../../helpers/api-client.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

const ADMIN = { name: 'ada', password: 'ada confirms' };

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({ speed: 60 });
  await addDashboardUser(rig.dataDir, ADMIN.name, 'admin', ADMIN.password);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

const pendingRow = (page: Page) =>
  page.locator('[data-testid=ledger-events] tbody tr', { hasText: 'Hardware' });

describe('the ledger page', () => {
  it('confirms a self-recorded contribution, by someone else only', async () => {
    const brewer = new ApiClient(rig.url);
    await brewer.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password);
    const recorded = await brewer.post<{ pending: boolean }>('api/ledger/events', {
      contributor: RIG_USERS.brewer.name,
      kind: 'hardware',
      reference: 'a second fridge',
    });
    expect(recorded.body.pending).toBe(true);

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.goto(`${rig.url}#/ledger`);
    await expect.poll(() => pendingRow(page).textContent(), SOON).toContain('awaiting another person');
    expect(await pendingRow(page).getByRole('button', { name: 'Confirm' }).count()).toBe(0);

    await signIn(page, rig.url, ADMIN);
    await page.goto(`${rig.url}#/ledger`);
    await pendingRow(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => pendingRow(page).textContent(), SOON).toContain('confirmed');
    const people = await brewer.get<{ contributors: Array<{ name: string; points: number }> }>(
      'api/contributors',
    );
    expect(people.body.contributors).toContainEqual(
      expect.objectContaining({ name: RIG_USERS.brewer.name, points: 5 }),
    );
    await page.close();
  });
});
