// A scripted simulator fault (board.faults in cobrew.yaml) trips a fermenter while a brewer watches its
// page: the trip and its incident appear live, and the brewer clears it after a confirmation that shows
// the incident.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

const SPEED = 60;
// At 60×, the beer probe is unplugged 15 s (wall) after start, long enough to open the page first, and
// plugged back 3 s later so that the trip can be cleared.
const YAML = `
fermenters:
  - id: drill
    name: Fire drill
    board:
      type: sim
      faults:
        - afterH: 0.25
          forH: 0.05
          fault: { kind: sensor-unplugged, probe: beer }
`;

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({ speed: SPEED, yaml: YAML });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

it('shows a trip live, then clears it after a confirmation that shows the incident', async () => {
  const page = await browser.newPage();
  await signIn(page, rig.url, RIG_USERS.brewer);
  await page.goto(`${rig.url}#/fermenters/drill`);
  const safety = page.locator('.detail > .badges [data-field="safety"]');
  await expect.poll(() => safety.textContent(), SOON).toBe('Safety: OK');
  expect(await page.getByTestId('clear-trip').count()).toBe(0);

  await expect
    .poll(() => safety.textContent(), { timeout: 40_000 })
    .toBe('Safety: Tripped: outputs held safe');
  await expect
    .poll(() => page.locator('[data-testid=events] li[data-kind="incident"]').first().textContent(), SOON)
    .toContain('COBREW_ERR_SENSOR_DISCONNECTED');
  expect(await page.locator('.detail > .readings [data-field="outputs"]').textContent()).toBe('Idle');

  // The incidents page has it too, without a reload.
  await page.locator('nav a[href="#/incidents"]').click();
  await expect
    .poll(() => page.locator('[data-testid=incidents] tbody tr').first().textContent(), SOON)
    .toContain('COBREW_ERR_SENSOR_DISCONNECTED');
  await page.goBack();

  await page.getByTestId('clear-trip').click();
  const dialog = page.getByTestId('clear-dialog');
  await expect
    .poll(() => dialog.getByTestId('clear-incident').textContent(), SOON)
    .toContain('COBREW_ERR_SENSOR_DISCONNECTED');
  expect(await dialog.getByRole('heading').textContent()).toBe('Clear this trip?');
  // Refused while the probe still reads -127; accepted once it is back.
  await expect
    .poll(
      async () => {
        if (await dialog.isVisible()) await dialog.getByTestId('confirm-clear').click();
        await page.waitForTimeout(500);
        return dialog.isVisible();
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(false);
  await expect.poll(() => safety.textContent(), { timeout: 10_000 }).toBe('Safety: OK');
  await page.close();
});
