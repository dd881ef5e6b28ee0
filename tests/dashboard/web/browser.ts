// Debian's Chromium driven by playwright-core: headless, a fresh profile per launch, nothing fetched from
// the internet. /usr/bin/chromium comes from the `chromium` package (.ci/run installs it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How long an expected change may take to show: generous, for a loaded 2-core CI machine. */
export const SOON = { timeout: 15_000 };

export interface Browser {
  readonly context: BrowserContext;
  newPage(opts?: { width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { locale?: string } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'cobrew-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    locale: opts.locale ?? 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  // The persistent context opens a blank page of its own; tests make theirs.
  for (const p of context.pages()) await p.close();
  return {
    context,
    newPage: async ({ width, height } = {}) => {
      const page = await context.newPage();
      if (width !== undefined) await page.setViewportSize({ width, height: height ?? 800 });
      return page;
    },
    close: async () => {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

/** Signs in through the form, as a person would; a page of this browser already signed in is signed out first. */
export async function signIn(
  page: Page,
  url: string,
  user: { name: string; password: string },
): Promise<void> {
  await page.goto(url);
  await page.locator('main h1').waitFor();
  const signOut = page.locator('header button.link');
  if ((await signOut.count()) > 0) {
    await signOut.click();
    await page.locator('#login-name').waitFor();
  }
  await page.locator('#login-name').fill(user.name);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form button[type=submit]').click();
  await page.locator('#login-name').waitFor({ state: 'detached' });
  await page.locator('main h1').waitFor();
}
