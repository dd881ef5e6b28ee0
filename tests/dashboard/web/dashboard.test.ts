// The dashboard in a real browser (Debian's Chromium) against the real application: embedded broker and
// two simulated fermenters at 60× speed. A person signs in, watches, changes a setpoint; a viewer cannot
// change anything; a phone's width does not scroll sideways; both languages render.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const card = (id: string, field: string) => `[data-fermenter="${id}"] [data-field="${field}"]`;

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  // The built-in two fermenters, and an iSpindel floating in the lager.
  rig = await startRig({
    speed: 60,
    yaml: 'ispindels:\n  - { name: Spindel7, fermenter: lager, unit: sg }\n',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

describe('dashboard in a browser', () => {
  it('refuses a wrong password, then signs in and lists every fermenter live', async () => {
    const page = await browser.newPage();
    await page.goto(rig.url);
    await page.locator('#login-name').fill(RIG_USERS.brewer.name);
    await page.locator('#login-password').fill('not the password');
    await page.locator('form button[type=submit]').click();
    await expect.poll(() => text(page, '[role=alert]'), SOON).toBe('Wrong name or password.');

    await signIn(page, rig.url, RIG_USERS.brewer);
    expect(await text(page, 'main h1')).toBe('Fermenters');
    await page.locator(card('ale', 'beerC')).waitFor();
    await page.locator(card('lager', 'beerC')).waitFor();
    expect(await text(page, card('ale', 'beerC'))).toMatch(/^\d+\.\d\u00a0°C$/);
    expect(await text(page, card('ale', 'availability'))).toBe('Online');
    expect(await text(page, card('ale', 'safety'))).toBe('Safety: OK');
    expect(await text(page, card('lager', 'mode'))).toBe('Beer temperature');
    await expect.poll(() => page.getByTestId('live-banner').textContent(), SOON).toBe('');
    await page.close();
  });

  it('shows gravity and the hydrometer battery once an iSpindel reports', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.viewer);
    await page.locator(card('lager', 'beerC')).waitFor();
    expect(await page.locator(card('lager', 'gravity')).count()).toBe(0);
    // A reading needs the iSpindel's token or a brewer's session.
    const brewer = new ApiClient(rig.url);
    await brewer.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password);
    const posted = await brewer.request('POST', 'api/ispindel', {
      name: 'Spindel7',
      ID: 7,
      angle: 41.2,
      temperature: 11.8,
      battery: 3.91,
      gravity: 1.042,
    });
    expect(posted.status).toBe(200);
    await expect.poll(() => text(page, card('lager', 'gravity')), { timeout: 10_000 }).toBe('1.042');
    expect(await text(page, card('lager', 'battery'))).toBe('3.91\u00a0V');
    expect(await page.locator(card('ale', 'gravity')).count()).toBe(0);
    await page.close();
  });

  it('shows the temperature moving without a reload', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    const chamber = page.locator(card('ale', 'chamberC'));
    const first = await chamber.textContent();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await expect.poll(() => chamber.textContent(), { timeout: 30_000 }).not.toBe(first);
    // Pushed over the live feed, not fetched again.
    expect(requests.filter((u) => u.includes('/api/fermenters'))).toEqual([]);
    await page.close();
  });

  it('changes a setpoint and the simulated fermenter responds; the change is marked', {
    timeout: 120_000,
  }, async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.locator('[data-fermenter="ale"] h2 a').click();
    await page.getByTestId('controls').waitFor();
    expect(await text(page, 'main h1')).toBe('Ale – cuve 1');
    await page.locator('.chart canvas').first().waitFor();

    // Ale starts at 20 °C for 18 °C in a 20 °C room: it cools. Asked for 26 °C it must heat.
    await page.getByTestId('beer-setpoint').fill('26');
    await page.getByTestId('beer-setpoint').press('Enter');
    await expect.poll(() => text(page, '.ok-text'), SOON).toBe('Done.');
    await expect
      .poll(() => text(page, `.detail > .readings [data-field="setpoint"]`), SOON)
      .toBe('26.0\u00a0°C');
    await expect
      .poll(() => text(page, '.detail > .readings [data-field="outputs"]'), { timeout: 40_000 })
      .toBe('Heating');
    // What the controller does, in words, and the chart's key to its output bands.
    await expect
      .poll(() => text(page, '.detail > .readings [data-field="controllerState"]'), SOON)
      .toMatch(/^(Heating|Waiting to heat — heater may start in \d)/);
    expect(await text(page, '[data-testid=output-bands]')).toContain('Cooling');
    // The controller's own model of this fermenter: a fresh one is still learning, the cascade runs alone.
    expect(await text(page, '[data-testid=thermal-model] [data-field="model-status"]')).toMatch(
      /^Still learning \(.+ of readings\): the standard cascade controls alone\.$/,
    );
    // The person's change (audit) and the setpoint change seen in the states, both listed beside the chart.
    await expect
      .poll(() => text(page, '[data-testid=events] li[data-kind="audit"]'), SOON)
      .toContain('by brune');
    await expect
      .poll(() => text(page, '[data-testid=events] li[data-kind="setpoint"]'), SOON)
      .toContain('26.0');

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'detail.png'), fullPage: true });
    await page.locator('a[href="#/"]').first().click();
    await page.locator(card('lager', 'beerC')).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
    await page.close();
  });

  it('lets a viewer watch but not change anything, in the page or through the API', async () => {
    const viewer = await launchBrowser();
    try {
      const page = await viewer.newPage();
      await signIn(page, rig.url, RIG_USERS.viewer);
      await page.goto(`${rig.url}#/fermenters/lager`);
      await page.getByTestId('viewer-note').waitFor();
      expect(await page.getByTestId('controls').count()).toBe(0);
      expect(await page.locator('main button, main select#mode-select').count()).toBe(0);

      await page.goto(`${rig.url}#/fermenters/lager/profile`);
      await page.getByTestId('profile-form').waitFor();
      expect(await page.locator('[data-testid=profile-form] button').count()).toBe(0);
      expect(await page.locator('[data-testid=profile-form] input:not([disabled])').count()).toBe(0);

      const refused = await page.evaluate(async () => {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
        const res = await fetch('/api/fermenters/lager/set', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ beerSetpointC: 4 }),
        });
        return { status: res.status, body: (await res.json()) as { code: string } };
      });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toMatch(/^COBREW_ERR_/);
      await page.goto(rig.url);
      await expect.poll(() => text(page, card('lager', 'setpoint')), SOON).toBe('10.0\u00a0°C');
    } finally {
      await viewer.close();
    }
  });

  it('starts a profile of hold and ramp steps with a gravity condition from the editor', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.goto(`${rig.url}#/fermenters/lager/profile`);
    const form = page.getByTestId('profile-form');
    await form.waitFor();
    const step = (n: number) => form.locator('fieldset').nth(n);
    await step(0).getByLabel('Beer target (°C)').fill('11');
    await step(0).getByLabel('Duration (hours)').fill('48');
    await step(0).getByLabel('End early on gravity').check();
    await step(0).getByLabel('Gravity at or below').fill('1.015');
    await step(0).getByLabel('Not before (hours)').fill('24');
    await form.getByRole('button', { name: 'Add a step' }).click();
    await step(1).getByLabel('Kind').selectOption('ramp');
    await step(1).getByLabel('Beer target (°C)').fill('16');
    await step(1).getByLabel('Duration (hours)').fill('12');
    await form.getByRole('button', { name: 'Start this profile' }).click();
    await expect
      .poll(() => text(page, '[data-testid=profile-form] [role=status]'), SOON)
      .toBe('Profile started.');

    await page.goto(`${rig.url}#/fermenters/lager`);
    await expect.poll(() => text(page, '.detail > .readings [data-field="mode"]'), SOON).toBe('Profile');
    await expect
      .poll(() => text(page, '.detail > .readings [data-field="setpoint"]'), SOON)
      .toBe('11.0\u00a0°C');
    await expect
      .poll(() => text(page, '[data-testid=events] li[data-kind="audit"]'), SOON)
      .toContain('Start this profile');
    await page.close();
  });

  it('works from the keyboard: skip link, links, and focus on each new page’s heading', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    const focused = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
    // Signing in moves the focus to the page's heading.
    await expect.poll(focused, SOON).toBe('Fermenters');
    await page.reload();
    await page.locator(card('ale', 'beerC')).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Fermenters');
    // From the heading, the next stop is the first fermenter's link.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Ale – cuve 1');
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () =>
          page.evaluate<string>(
            'document.activeElement?.tagName + " " + document.activeElement?.textContent',
          ),
        SOON,
      )
      .toBe('H1 Ale – cuve 1');
    await page.close();
  });

  it('fits a 375 px phone screen on every page without sideways scrolling', async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, rig.url, RIG_USERS.brewer);
    for (const hash of ['#/', '#/fermenters/ale', '#/incidents', '#/fermenters/ale/profile']) {
      await page.goto(`${rig.url}${hash}`);
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const widths = await page.evaluate<{ scroll: number; view: number }>(
        '({ scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth })',
      );
      expect(widths, hash).toEqual({ scroll: 375, view: 375 });
    }
    await page.close();
  });

  it('speaks the browser’s language, switches on request and remembers it', async () => {
    const french = await launchBrowser({ locale: 'fr-FR' });
    try {
      const page = await french.newPage();
      await page.goto(rig.url);
      expect(await text(page, 'main h1')).toBe('Connexion');
      await signIn(page, rig.url, RIG_USERS.brewer);
      expect(await text(page, 'main h1')).toBe('Fermenteurs');
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe('fr');
      await page.locator(card('ale', 'beerC')).waitFor();
      expect(await text(page, card('ale', 'beerC'))).toMatch(/^\d+,\d\u00a0°C$/);
      expect(await text(page, card('ale', 'safety'))).toBe('Sécurité\u00a0: OK');

      await page.getByTestId('language').selectOption('en');
      expect(await text(page, 'main h1')).toBe('Fermenters');
      await page.getByTestId('unit').selectOption('F');
      expect(await text(page, card('ale', 'beerC'))).toMatch(/^\d+\.\d\u00a0°F$/);
      await page.reload();
      await page.locator(card('ale', 'beerC')).waitFor();
      expect(await text(page, 'main h1')).toBe('Fermenters');
      expect(await text(page, card('ale', 'beerC'))).toMatch(/°F$/);
    } finally {
      await french.close();
    }
  });

  it('shows a lost live connection and recovers by itself after a server restart', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.locator(card('ale', 'beerC')).waitFor();
    const banner = page.getByTestId('live-banner');
    // Cards come from the first fetch; the live stream may open a moment later.
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toBe('');
    await rig.restart();
    await expect
      .poll(() => banner.textContent(), { timeout: 15_000 })
      .toBe('Live updates lost; reconnecting…');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toBe('');
    // Fresh states flow again after the restart.
    const chamber = page.locator(card('ale', 'chamberC'));
    const before = await chamber.textContent();
    await expect.poll(() => chamber.textContent(), { timeout: 30_000 }).not.toBe(before);
    await page.close();
  });
});
