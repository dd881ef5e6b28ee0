// Operations on a running profile in a real browser (Debian's Chromium) against the real application: the
// batch's brewer sees the progress and time left, skips a step, holds and resumes it, extends it and edits
// the steps to come; each shows in the progress view and as a mark on the chart, with who did it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { lager } from '../../recipes/commons/helpers.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({ speed: 60 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

describe('the running profile in a browser', () => {
  it('skips, holds, extends and edits steps, each shown in the progress and on the chart', {
    timeout: 120_000,
  }, async () => {
    const brewer = RIG_USERS.brewer;
    const api = new ApiClient(rig.url);
    await api.login(brewer.name, brewer.password);
    const recipe = await api.post<{ latestVersionId: string }>('api/recipes', { document: lager('Dunkel') });
    const batch = await api.post('api/batches', {
      versionId: recipe.body.latestVersionId,
      fermenterId: 'ale',
      profile: [
        { name: 'Primary', type: 'hold', targetC: 10, durationH: 240 },
        { name: 'Rest', type: 'hold', targetC: 16, durationH: 48 },
        { name: 'Crash', type: 'ramp', targetC: 2, durationH: 24 },
      ],
    });
    expect(batch.status).toBe(201);

    const page = await browser.newPage();
    await signIn(page, rig.url, brewer);
    await page.locator('[data-fermenter="ale"] h2 a').click();
    const step = page.getByTestId('profile-step');
    const text = async (field: string) =>
      (await page.locator(`[data-testid="profile-progress"] [data-field="${field}"]`).textContent()) ?? '';
    await expect.poll(async () => (await step.textContent()) ?? '', SOON).toBe('Step 1 of 3');
    expect(await text('profileRemaining')).toMatch(/^1[23]\u00a0d\u00a0\d+\u00a0h$/);

    await page.getByRole('button', { name: 'Skip this step' }).click();
    await expect.poll(async () => (await step.textContent()) ?? '', SOON).toBe('Step 2 of 3');
    expect(await text('stepRemaining')).toMatch(/^4[78]\u00a0h\u00a0\d\d\u00a0min$/);

    await page.getByRole('button', { name: 'Hold this step' }).click();
    await page.getByTestId('profile-held').waitFor(SOON);
    await page.getByRole('button', { name: 'Resume the step' }).click();
    await page.getByTestId('profile-held').waitFor({ state: 'detached', ...SOON });

    await page.getByTestId('extend-hours').fill('24');
    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    await expect.poll(() => text('stepRemaining'), SOON).toMatch(/^[23]\u00a0d\u00a0\d+\u00a0h$/);

    await page.getByRole('link', { name: 'Edit the steps to come' }).click();
    await page.getByTestId('profile-form').waitFor();
    await page.locator('[id$="-target"]').first().fill('4');
    await page.getByTestId('profile-submit').click();
    await expect
      .poll(async () => (await page.locator('.ok-text').textContent()) ?? '', SOON)
      .toBe('Steps to come replaced.');

    await page.goBack();
    await page.getByTestId('events').waitFor(SOON);
    const marks = async () =>
      (await page.locator('[data-testid="events"] li[data-kind="audit"]').allTextContents()).join('\n');
    for (const mark of [
      'Step skipped — by brune',
      'Step held — by brune',
      'Step resumed — by brune',
      'Step extended by 24\u00a0h\u00a000\u00a0min — by brune',
      'Steps to come replaced (1) — by brune',
    ]) {
      await expect.poll(marks, SOON).toContain(mark);
    }
    // The history's own mark of the step the skip ended.
    await expect
      .poll(
        async () =>
          (await page.locator('[data-testid="events"] li[data-kind="profile-step"]').allTextContents()).join(
            '\n',
          ),
        SOON,
      )
      .toContain('Step 1 → Step 2');
    await page.close();
  });
});
