// The recipe commons in a real browser (Debian's Chromium) against the real application, whose recipe library
// is loaded on first start: browse and search, a recipe's figures, lineage and attribution, forking under an
// allowed licence and a refused one, a pot split adding up, a brew log with its chart and gravity curve,
// the ledger and contributors, user text that tries to run script shown as text, and a phone's width.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCommons } from '../../../dashboard/web/src/pages/recipes/routes.js';
import { ApiClient } from '../../helpers/api-client.js';
import { type Browser, launchBrowser, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../../../recipes/library/', import.meta.url));
const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';

// The library's fixed ids (recipes/library/manifest.ts).
const PALE_ALE = '9f67588b-d027-419b-ae0a-910095b96ba4';
const IPA = 'e1a585ff-f531-43db-82fe-1d5acf30f9a0';

let rig: Rig;
let browser: Browser;
let brewer: ApiClient;

interface RecipeDetail {
  id: string;
  versions: Array<{ id: string; number: number }>;
}

beforeAll(async () => {
  rig = await startRig({ speed: 60 });
  browser = await launchBrowser();
  brewer = new ApiClient(rig.url);
  expect((await brewer.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password)).status).toBe(200);
});

// Each page holds a live feed open: a failed test must not leave its page behind to use up the browser's
// connections to the server.
afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function open(page: Page, hash: string): Promise<void> {
  await page.goto(`${rig.url}${hash}`);
  await page.locator('main h1').waitFor();
}

/** A library document under a new title (and a changed batch size when asked), for recipes of our own. */
async function beerJson(title: string, batchLitres = 20): Promise<unknown> {
  const doc = JSON.parse(await readFile(join(LIBRARY, 'pale-ale-1.json'), 'utf8'));
  const recipe = doc.beerjson.recipes[0];
  recipe.name = title;
  recipe.batch_size.value = batchLitres;
  return doc;
}

describe('recipe commons in a browser', () => {
  it('browses the library loaded on first start, and searches by text, author and licence', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.locator('header nav a', { hasText: 'Recipes' }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('Recipes');
    const titles = page.locator('[data-testid=recipes] h2');
    await expect.poll(() => titles.count()).toBe(5);
    expect(await titles.allTextContents()).toEqual(
      expect.arrayContaining(["Pale ale de l'atelier", 'IPA du quartier', 'Session IPA du quartier']),
    );

    const search = page.getByTestId('recipe-search');
    await search.getByLabel('Title or author').fill('ipa');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => titles.allTextContents()).toEqual(['Session IPA du quartier', 'IPA du quartier']);
    expect(await text(page, '[data-recipe] .meta + .meta')).toBe('forked from IPA du quartier v1');

    await search.getByLabel('Title or author').fill('');
    await search.getByLabel('Author (exact name)').fill('cobrew');
    await search.getByLabel('Licence').selectOption('CC0-1.0');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => text(page, 'main [role=status]')).toBe('No recipe matches.');
    await search.getByLabel('Licence').selectOption('CC-BY-SA-4.0');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => text(page, 'main [role=status]')).toBe('5 recipes');
    await page.close();
  });

  it('shows a recipe’s figures, versions, lineage with its parent, and attribution', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, '#/recipes');
    await page.locator('[data-testid=recipes] a', { hasText: /^IPA du quartier$/ }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('IPA du quartier');
    // Calculated by the server from the version's BeerJSON (recipes/calc).
    await expect.poll(() => text(page, '[data-figure=og]')).toBe('1.062');
    expect(await text(page, '[data-figure=abv]')).toBe('6.5\u00a0%');
    expect(await text(page, '[data-figure=ibuTinseth]')).toBe('33.6\u00a0IBU');
    expect(await text(page, '[data-figure=ebc]')).toBe('14.5');
    await expect.poll(() => page.locator('.ingredients li').count()).toBeGreaterThan(3);

    // Lineage: the pale ale's two versions above, this version, the session IPA made from it below.
    const lineage = page.getByTestId('lineage');
    await lineage.waitFor();
    expect(await lineage.locator('.lineage-chain > li > .node > a').allTextContents()).toEqual([
      "Pale ale de l'atelier v1",
      "Pale ale de l'atelier v2",
      'IPA du quartier v1',
    ]);
    expect(await text(page, '.lineage-chain > li.current .lineage-tree a')).toBe(
      'Session IPA du quartier v1',
    );
    expect(await text(page, '.lineage-chain > li.current > .node .tag')).toBe('fork');

    const attribution = page.getByTestId('attribution');
    await expect.poll(() => attribution.textContent()).toContain('Authors: cobrew');
    expect(await attribution.textContent()).toContain("forked from “Pale ale de l'atelier” version 2");

    // The parent, from its node in the lineage: its versions with their change notes.
    await lineage.locator('a', { hasText: "Pale ale de l'atelier v2" }).click();
    await expect.poll(() => page.url()).toContain(`#/recipes/${PALE_ALE}/versions/2`);
    await expect.poll(() => text(page, 'main h1')).toBe("Pale ale de l'atelier");
    const versions = page.getByTestId('versions').locator('li');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.first().locator('.note').textContent()).toMatch(/^Less crystal/);
    expect(await versions.nth(1).locator('.note').textContent()).toMatch(/^First version/);
    await page.close();
  });

  it('speaks French: the page’s words, numbers and the attribution', async () => {
    const french = await launchBrowser({ locale: 'fr-FR' });
    try {
      const page = await french.newPage();
      await signIn(page, rig.url, RIG_USERS.brewer);
      await page.locator('header nav a', { hasText: 'Recettes' }).click();
      await expect.poll(() => text(page, 'main h1')).toBe('Recettes');
      await open(page, `#/recipes/${PALE_ALE}/versions/2`);
      await expect.poll(() => text(page, '[data-testid=attribution]')).toContain('Auteurs: cobrew');
      expect(await text(page, '[data-testid=figures] dt')).toBe('Densité initiale');
      expect(await text(page, '[data-figure=og]')).toBe('1,050');
      expect(await text(page, '[data-testid=lineage] .muted')).toMatch(/^par cobrew/);
    } finally {
      await french.close();
    }
  });

  it('forks under an allowed licence; a licence the parent’s refuses shows the server’s reason', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, `#/recipes/${IPA}`);
    const fork = page.getByTestId('fork');
    await fork.locator('summary').click();
    const form = page.getByTestId('fork-form');
    // A ShareAlike parent: its licence only, the others listed with the reason.
    expect(
      await form
        .locator('select[name=licence] option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toEqual(['CC-BY-SA-4.0']);
    const refused = await text(page, '[data-testid=refused-licences]');
    expect(refused).toContain('CC0-1.0');
    expect(refused).toContain('ShareAlike (§3(b))');

    // A page holding an older licence list could still send one; the server refuses it and says why.
    await page.evaluate(`(() => {
      const option = document.createElement('option');
      option.value = option.textContent = 'CC0-1.0';
      document.querySelector('[data-testid=fork-form] select[name=licence]').append(option);
    })()`);
    await form.locator('select[name=licence]').selectOption('CC0-1.0');
    await form.getByRole('button', { name: 'Fork' }).click();
    const alert = form.locator('[role=alert]');
    await expect.poll(() => alert.textContent()).toMatch(/^The fork was refused: .*CC0-1\.0/);
    expect(await alert.textContent()).toContain('ShareAlike');

    await form.locator('select[name=licence]').selectOption('CC-BY-SA-4.0');
    await form.getByLabel('Title of the new recipe').fill('IPA de Brune');
    await form.getByLabel('What you change (optional)').fill('Citra instead of Centennial.');
    await form.getByRole('button', { name: 'Fork' }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('IPA de Brune');
    await expect
      .poll(() => page.getByTestId('lineage').locator('.lineage-chain > li > .node > a').allTextContents())
      .toEqual([
        "Pale ale de l'atelier v1",
        "Pale ale de l'atelier v2",
        'IPA du quartier v1',
        'IPA de Brune v1',
      ]);
    await expect.poll(() => text(page, '[data-testid=attribution]')).toContain('Authors: cobrew, brune');
    expect(await text(page, '[data-testid=recipe-meta]')).toContain('Owner: brune');
    await page.close();
  });

  it('lets a viewer read the commons without a fork button', async () => {
    const viewer = await launchBrowser();
    try {
      const page = await viewer.newPage();
      await signIn(page, rig.url, RIG_USERS.viewer);
      await open(page, `#/recipes/${IPA}`);
      await page.getByTestId('attribution').waitFor();
      expect(await page.getByTestId('fork').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  it('splits a pot along the lineage, line by line, adding up to the amount exactly', async () => {
    const list = await brewer.get<{ recipes: Array<{ id: string; title: string }> }>('api/recipes?q=Brune');
    const fork = list.body.recipes.find((r) => r.title === 'IPA de Brune');
    expect(fork).toBeDefined();
    const detail = await brewer.get<RecipeDetail>(`api/recipes/${fork?.id}`);
    const versionId = detail.body.versions[0]?.id;
    for (const [contributor, kind] of [
      ['zoé', 'review'],
      ['ana', 'translation'],
    ]) {
      const added = await brewer.post('api/ledger/events', { contributor, kind, versionId });
      expect(added.status).toBe(201);
    }

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, `#/recipes/${fork?.id}`);
    await page.getByRole('link', { name: 'Split a pot among its contributors' }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('Pot split');
    const form = page.getByTestId('pot-form');
    expect(await form.getByLabel('Recipe').inputValue()).toBe(fork?.id);
    await form.getByLabel('Amount').fill('100.005');
    await form.getByRole('button', { name: 'Split' }).click();
    await expect
      .poll(() => text(page, 'main [role=alert]'))
      .toMatch(/^Write an amount with at most two decimals/);

    await form.getByLabel('Amount').fill('100');
    await form.getByRole('button', { name: 'Split' }).click();
    const shares = page.getByTestId('shares').locator(':scope > li');
    await expect.poll(() => shares.count()).toBe(3);
    // brune 5 points (the fork), ana 3 (translation), zoé 1 (review): 9 in all.
    const amounts = await page
      .locator('[data-testid=shares] [data-amount]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-amount') ?? ''));
    expect(amounts).toEqual(['55.56', '33.33', '11.11']);
    const cents = amounts.reduce((sum, a) => sum + Math.round(Number(a) * 100), 0);
    expect(cents).toBe(10_000);
    expect(await text(page, '[data-testid=pot-sum]')).toBe('Sum of the shares: 100.00');
    const brune = await text(page, '[data-contributor=brune]');
    expect(brune).toContain('5/9 of 100.00 = 55.555555…');
    expect(brune).toContain('plus one cent by largest remainder');
    expect(brune).toContain('commons.weights.fork = 5 points');
    expect(await text(page, '[data-contributor=zoé]')).toContain('Review');
    await page.close();
  });

  it('shows the ledger with its rule table, and each contributor’s contributions', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, '#/ledger');
    await expect.poll(() => text(page, '[data-testid=rules]')).toContain('commons.weights.version');
    const rows = page.locator('[data-testid=ledger-events] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('IPA de Brune');

    await open(page, '#/contributors');
    const people = page.locator('[data-testid=contributors] tbody tr');
    await expect.poll(() => people.count()).toBe(3);
    await page.locator('[data-testid=contributors] a', { hasText: 'brune' }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('Contributions of brune');
    await expect
      .poll(() => text(page, '[data-testid=contributor-summary]'))
      .toBe('Points: 5 · Contributions: 1');
    expect(await page.locator('[data-testid=ledger-events] tbody tr').count()).toBe(1);
    expect(await text(page, '[data-testid=ledger-events] tbody tr')).toContain('Fork');
    await page.close();
  });

  it('shows a brew log with its fermentation chart over the log’s range and its gravity curve', async () => {
    const fermenters = await brewer.get<{ fermenters: Array<{ id: string; state: { at: number } | null }> }>(
      'api/fermenters',
    );
    const ale = fermenters.body.fermenters.find((f) => f.id === 'ale');
    const now = ale?.state?.at ?? 0;
    expect(now).toBeGreaterThan(0);
    const recipe = await brewer.get<RecipeDetail>(`api/recipes/${IPA}`);
    const log = await brewer.post<{ id: string; historyUrl: string }>('api/brewlogs', {
      versionId: recipe.body.versions[0]?.id,
      startedAt: now - 3_600_000,
      name: 'IPA, batch 12',
      fermenterId: 'ale',
      notes: 'Pitched at 18 °C.',
    });
    expect(log.status).toBe(201);
    expect(log.body.historyUrl).toBe(`/api/fermenters/ale/history?from=${now - 3_600_000}`);
    for (const [minutes, gravity] of [
      [0, 1.062],
      [30, 1.05],
      [60, 1.031],
    ] as const) {
      const added = await brewer.post(`api/brewlogs/${log.body.id}/readings`, {
        at: now - 3_600_000 + minutes * 60_000,
        gravity,
        note: minutes === 0 ? 'OG' : '',
      });
      expect(added.status).toBe(201);
    }

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, '#/brewlogs');
    await page.locator('[data-testid=brewlogs] a', { hasText: 'IPA, batch 12' }).click();
    await expect.poll(() => text(page, 'main h1')).toBe('IPA, batch 12');
    // The dashboard's chart, drawn from the history the log points at.
    await page.locator('.brewlog .chart canvas').first().waitFor();
    expect(await page.locator('.brewlog .chart .u-legend').textContent()).toContain('Beer');
    const curve = page.getByTestId('gravity-curve');
    expect(await curve.locator('circle').count()).toBe(3);
    expect(await curve.getAttribute('aria-label')).toBe('Gravity: IPA, batch 12');
    const readings = page.locator('[data-testid=readings] tbody tr');
    expect(await readings.count()).toBe(3);
    expect(await readings.last().locator('td').nth(1).textContent()).toBe('1.031');
    expect(await text(page, '[data-testid=brewlog-notes]')).toBe('Pitched at 18 °C.');
    await page.close();
  });

  it('shows user text that tries to run script as plain text, and runs none of it', async () => {
    const created = await brewer.post<RecipeDetail>('api/recipes', {
      // A batch size of zero also leaves the figures uncomputable: the page says why.
      document: await beerJson(`Stout ${XSS}`, 0),
      note: `First try ${XSS}`,
    });
    expect(created.status).toBe(201);
    const { id, versions } = created.body;
    const log = await brewer.post<{ id: string }>('api/brewlogs', {
      versionId: versions[0]?.id,
      startedAt: 1_000,
      name: `Batch ${XSS}`,
      notes: `Smelled odd ${XSS}`,
    });
    expect(log.status).toBe(201);
    expect(
      (await brewer.post(`api/brewlogs/${log.body.id}/readings`, { at: 2_000, gravity: 1.04, note: XSS }))
        .status,
    ).toBe(201);

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await open(page, `#/recipes/${id}`);
    await expect.poll(() => text(page, 'main h1')).toBe(`Stout ${XSS}`);
    await expect.poll(() => text(page, '[data-testid=versions] .note')).toBe(`First try ${XSS}`);
    await expect.poll(() => text(page, '[data-testid=attribution]')).toContain(`First try ${XSS}`);
    expect(await text(page, '[data-testid=figures-problem]')).toMatch(/batch size is zero/);
    await page
      .getByTestId('attribution-markdown')
      .evaluate((e) => e.closest('details')?.setAttribute('open', ''));
    // Markdown with every special character escaped: shown as typed, never as markup.
    expect(await text(page, '[data-testid=attribution-markdown]')).toContain('&lt;script\\>window');

    await open(page, `#/brewlogs/${log.body.id}`);
    await expect.poll(() => text(page, 'main h1')).toBe(`Batch ${XSS}`);
    expect(await text(page, '[data-testid=brewlog-notes]')).toBe(`Smelled odd ${XSS}`);
    expect(await text(page, '[data-testid=readings] tbody td:last-child')).toBe(XSS);

    await open(page, '#/recipes');
    await page.locator('[data-testid=recipes] h2', { hasText: XSS }).waitFor();
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('main script, main img').count()).toBe(0);
    await page.close();
  });

  it('fits a 375 px phone on every commons page, and the recipe page is saved for the README', async () => {
    const brewLogs = await brewer.get<{ brewLogs: Array<{ id: string; name: string }> }>('api/brewlogs');
    const log = brewLogs.body.brewLogs.find((b) => b.name === 'IPA, batch 12');
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, rig.url, RIG_USERS.brewer);
    for (const hash of [
      '#/recipes',
      `#/recipes/${IPA}`,
      `#/recipes/${PALE_ALE}/versions/1`,
      `#/brewlogs/${log?.id}`,
      '#/ledger',
      '#/contributors',
      '#/contributors/brune',
      `#/ledger/pot-split/${IPA}`,
    ]) {
      await open(page, hash);
      await page.locator('main [aria-busy]').first().waitFor({ state: 'detached' });
      await page.waitForTimeout(300);
      const widths = await page.evaluate<{ scroll: number; view: number }>(
        '({ scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth })',
      );
      expect(widths, hash).toEqual({ scroll: 375, view: 375 });
    }
    await open(page, `#/recipes/${IPA}`);
    await page.getByTestId('attribution').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'recipe-phone.png'), fullPage: true });
    await page.close();

    const desktop = await browser.newPage();
    await signIn(desktop, rig.url, RIG_USERS.brewer);
    await open(desktop, `#/recipes/${IPA}`);
    await desktop.getByTestId('attribution').waitFor();
    await desktop.getByTestId('lineage').waitFor();
    await desktop.screenshot({ path: join(SCREENSHOTS, 'recipe.png'), fullPage: true });
    await desktop.close();
  });

  it('works from the keyboard: the header link to the recipes, then focus on the page’s heading', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    const focused = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
    await page.locator('header nav a', { hasText: 'Recipes' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<string>('document.activeElement?.tagName')).toBe('H1');
    expect(await focused()).toBe('Recipes');
    // The recipes' own navigation comes before the heading; from the heading, the search form.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("name")')).toBe('q');
    await page.close();
  });
});

describe('commons addresses', () => {
  it('reads each page of the commons from the hash path, falling back to the nearest list', () => {
    expect(parseCommons(['recipes'])).toEqual({ view: 'browse' });
    expect(parseCommons(['recipes', 'r1'])).toEqual({ view: 'recipe', id: 'r1', number: null });
    expect(parseCommons(['recipes', 'r1', 'versions', '2'])).toEqual({ view: 'recipe', id: 'r1', number: 2 });
    expect(parseCommons(['recipes', 'r1', 'versions', '0'])).toEqual({
      view: 'recipe',
      id: 'r1',
      number: null,
    });
    expect(parseCommons(['recipes', 'r1', 'versions', 'x'])).toEqual({
      view: 'recipe',
      id: 'r1',
      number: null,
    });
    expect(parseCommons(['brewlogs', 'b1'])).toEqual({ view: 'brewlog', id: 'b1' });
    expect(parseCommons(['contributors', 'zoé'])).toEqual({ view: 'contributor', name: 'zoé' });
    expect(parseCommons(['ledger'])).toEqual({ view: 'ledger' });
    expect(parseCommons(['ledger', 'pot-split'])).toEqual({ view: 'pot-split', recipeId: null });
    expect(parseCommons(['ledger', 'pot-split', 'r1'])).toEqual({ view: 'pot-split', recipeId: 'r1' });
  });
});
