// Finding 5, in a real browser: a page on another origin cannot frame the dashboard. Chromium itself must
// honour the answer's frame-ancestors / X-Frame-Options; a plain page framed the same way does load, which
// shows the framing page works and it is the dashboard's headers that stop it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, SOON, signIn } from '../dashboard/web/browser.js';
import { RIG_USERS, type Rig, startRig } from '../dashboard/web/rig.js';

let rig: Rig;
let browser: Browser;
let other: Server;
let otherUrl: string;

/** The attacker's site: /frame?src=… frames src; /plain is an ordinary page with no headers of note. */
function attackerSite(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/plain') res.end('<!doctype html><p id="plain">framed fine</p>');
    else {
      const src = url.searchParams.get('src') ?? '';
      res.end(`<!doctype html><h1>Win a fermenter</h1><iframe id="victim" src="${encodeURI(src)}"></iframe>`);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  rig = await startRig({ speed: 60 });
  browser = await launchBrowser();
  other = await attackerSite();
  // localhost and another port: another origin than the dashboard's 127.0.0.1.
  otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
  await new Promise((resolve) => other?.close(resolve));
});

async function framed(src: string): Promise<Frame> {
  const page = await browser.newPage();
  await page.goto(`${otherUrl}/frame?src=${encodeURIComponent(src)}`);
  const handle = await page.locator('#victim').elementHandle();
  const frame = await handle?.contentFrame();
  if (frame === null || frame === undefined) throw new Error('the iframe has no frame');
  await frame.waitForLoadState('load', SOON);
  return frame;
}

describe('the dashboard in a frame of another origin', () => {
  it('an ordinary page framed the same way loads', async () => {
    const frame = await framed(`http://127.0.0.1:${(other.address() as AddressInfo).port}/plain`);
    await expect.poll(() => frame.locator('#plain').count(), SOON).toBe(1);
  });

  it('is refused by the browser, even with a session open', async () => {
    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.close();
    for (const path of ['', 'status', 'api/auth/me']) {
      const frame = await framed(new URL(path, rig.url).href);
      expect(frame.url()).not.toBe(new URL(path, rig.url).href);
      expect(await frame.locator('main h1, #login-name, body pre').count()).toBe(0);
      expect(await frame.content()).not.toContain(RIG_USERS.brewer.name);
    }
  });
});
