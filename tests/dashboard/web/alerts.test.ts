// The alerts page in Chromium: a brewer sets a webhook as their channel, sends themself a test alert with
// the button, and sees it listed with its delivery accepted by the local server; the secret comes back masked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { receiver } from '../../alerts/helpers.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

let rig: Rig;
let browser: Browser;
let hooks: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  hooks = await receiver();
  rig = await startRig({ speed: 1 });
  browser = await launchBrowser({ locale: 'en-GB' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
  await hooks?.close();
});

it('sets a webhook, sends a test alert with the button, and lists its delivery', async () => {
  const page = await browser.newPage();
  await signIn(page, rig.url, RIG_USERS.brewer);
  await page.locator('nav a[href="#/alerts"]').click();
  await page.locator('#alert-webhook').fill(`${hooks.url}/brune`);
  await page.locator('#alert-secret').fill('a-secret-of-sixteen');
  await page.locator('#alert-lang').selectOption('en');
  await page.locator('form button[type=submit]').click();
  await expect.poll(() => page.locator('#alert-secret').inputValue(), SOON).toBe('…teen');

  await page.getByRole('button', { name: 'Send me a test alert' }).click();
  await expect.poll(() => hooks.hits.length, SOON).toBe(1);
  expect(JSON.parse(hooks.hits[0]?.body ?? '')).toMatchObject({
    event: 'test',
    title: 'Test alert – the space',
  });
  await page.reload();
  await expect
    .poll(() => page.locator('[data-testid=alerts] tbody tr').first().textContent(), SOON)
    .toContain('brune · webhook · test · sent (1)');
});
