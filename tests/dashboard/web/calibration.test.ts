// The hydrometer calibration page in Chromium: a brewer enters an iSpindel's calibration points, fits a
// polynomial and sees each point's residual, saves it and sets a Tilt's offset; after a server restart the
// page still shows them (in French too); a viewer sees them without being offered any change.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({
    speed: 1,
    yaml: [
      'ispindels: [{ name: blue, fermenter: ale, unit: plato }]',
      'tilts: [{ colour: red, fermenter: lager }]',
    ].join('\n'),
  });
  browser = await launchBrowser({ locale: 'en-GB' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

const POINTS = [
  [25, 1.0],
  [32, 1.028],
  [40, 1.061],
  [55, 1.12],
] as const;

it('enters points, fits, saves, and finds them again after a restart', async () => {
  const page = await browser.newPage();
  await signIn(page, rig.url, RIG_USERS.brewer);
  await page.locator('nav a[href="#/hydrometers"]').click();
  const card = page.locator('[data-testid=ispindel-blue]');
  await expect.poll(() => card.locator('[data-testid=source]').textContent(), SOON).toBe('From cobrew.yaml');
  for (let i = 1; i < POINTS.length; i++) await card.getByRole('button', { name: 'Add a point' }).click();
  for (const [i, [angle, gravity]] of POINTS.entries()) {
    await card.getByLabel(`Angle (°) ${i + 1}`).fill(String(angle));
    await card.getByLabel(`Gravity (SG) ${i + 1}`).fill(String(gravity));
  }
  await card.getByLabel('Polynomial degree').selectOption('2');
  await card.getByRole('button', { name: 'Fit' }).click();
  await expect
    .poll(() => card.locator('[data-testid=polynomial]').textContent(), SOON)
    .toMatch(/^SG = .*·a².*$/);
  const residuals = await card.locator('[data-testid=residual]').allTextContents();
  expect(residuals).toHaveLength(4);
  for (const r of residuals) expect(Math.abs(Number(r))).toBeLessThan(0.005);

  await card.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(() => card.locator('[data-testid=source]').textContent(), SOON)
    .toMatch(/^Set by brune, /);

  const tilt = page.locator('[data-testid=tilt-red]');
  await tilt.getByLabel('Gravity offset red').fill('-0.003');
  await tilt.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(() => tilt.locator('[data-testid=source]').textContent(), SOON)
    .toMatch(/^Set by brune, /);

  await rig.restart();
  await page.reload();
  await signIn(page, rig.url, RIG_USERS.brewer);
  await page.locator('nav a[href="#/hydrometers"]').click();
  await expect
    .poll(() => card.locator('[data-testid=source]').textContent(), SOON)
    .toMatch(/^Set by brune, /);
  expect(await card.getByLabel('Angle (°) 4').inputValue()).toBe('55');
  expect(await page.locator('[data-testid=tilt-red]').getByLabel('Gravity offset red').inputValue()).toBe(
    '-0.003',
  );

  await page.locator('[data-testid=language]').selectOption('fr');
  await expect.poll(() => page.locator('h1').textContent(), SOON).toBe('Étalonnage des densimètres');
  expect(await card.locator('[data-testid=source]').textContent()).toMatch(/^Réglé par brune, /);
  await page.close();
});

it('shows a viewer the calibration without offering to change it', async () => {
  const page = await browser.newPage();
  await signIn(page, rig.url, RIG_USERS.viewer);
  await page.locator('nav a[href="#/hydrometers"]').click();
  const card = page.locator('[data-testid=ispindel-blue]');
  await expect.poll(() => card.locator('[data-testid=polynomial]').count(), SOON).toBe(1);
  expect(await card.getByLabel('Angle (°) 1').isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
  await page.close();
});
