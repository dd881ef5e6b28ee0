// npm run bench:latency [-- --json] [-- --samples N]
// From a fermenter state published by a bridge-like MQTT client to its value in the dashboard's DOM, in a
// real browser (Debian's Chromium) signed in to the real application on loopback. A MutationObserver in the
// page stamps the moment the new beer temperature is in the DOM; the page's clock is tied to this process's
// by the round trip that disturbs it least. The peer, measured on the same samples: a plain MQTT subscriber
// in this process, i.e. the broker hop alone, which the page's path (broker → dashboard → SSE → browser →
// render) can only add to. Target: p99 ≤ 50 ms.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { connectAsync } from 'mqtt';
import type { Page } from 'playwright-core';
import { addUser, usersFile } from '../broker/credentials.js';
import type { FermenterState } from '../firmware-bridge/types.js';
import { launchBrowser, signIn } from '../tests/dashboard/web/browser.js';
import { ensureWebBuilt } from '../tests/dashboard/web/build-web.js';
import { RIG_PASSWORD_COST, RIG_USERS, startRig } from '../tests/dashboard/web/rig.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    samples: { type: 'string', default: '300' },
  },
});
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 200) {
  console.error(`--samples must be a whole number of at least 200, not ${JSON.stringify(values.samples)}`);
  process.exit(2);
}
const WARMUP = 20;
const TARGET_P99_MS = 50;
const ID = 'bench';
const BRIDGE = {
  name: 'bench-bridge',
  role: 'bridge',
  fermenters: [ID],
  password: 'bench bridge secret',
} as const;
const PEER = { name: 'bench-peer', role: 'viewer', password: 'bench peer secret' } as const;

function state(beerC: number): FermenterState {
  return {
    id: ID,
    name: 'Latency bench',
    at: Date.now(),
    beerC,
    chamberC: 17,
    ambientC: 20,
    mode: 'beer',
    beerSetpointC: 18,
    chamberSetpointC: 16,
    outputs: { heat: false, cool: false },
    controllerState: 'idle',
    safety: { status: 'ok', trips: [], alarms: [] },
    gravity: null,
    hydrometerBatteryV: null,
  };
}

/** Consecutive samples always differ in the one decimal the page shows. */
const sampleValue = (i: number) => 10 + (i % 200) / 10;
const shown = (v: number) => `${v.toFixed(1)}\u00a0°C`;

/** page clock − this process's clock, in ms, from the round trip least disturbed of a few. */
async function clockOffset(page: Page): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const t1 = performance.timeOrigin + performance.now();
    const tp = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t2 = performance.timeOrigin + performance.now();
    if ((t2 - t1) / 2 < best.uncertaintyMs)
      best = { offsetMs: tp - (t1 + t2) / 2, uncertaintyMs: (t2 - t1) / 2 };
  }
  return best;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] as number };
};

await ensureWebBuilt();
const rig = await startRig({ speed: 1 });
const browser = await launchBrowser();
try {
  await addUser(usersFile(rig.dataDir), BRIDGE, RIG_PASSWORD_COST);
  await addUser(usersFile(rig.dataDir), PEER, RIG_PASSWORD_COST);
  const url = new URL(rig.app.mqttUrl);
  const bridge = await connectAsync(url.toString(), { username: BRIDGE.name, password: BRIDGE.password });
  const peer = await connectAsync(url.toString(), { username: PEER.name, password: PEER.password });
  const topic = `cobrew/fermenter/${ID}/state`;
  const peerSeen = new Map<string, number>();
  peer.on('message', (_t, payload) => {
    const beerC = (JSON.parse(payload.toString('utf8')) as FermenterState).beerC;
    peerSeen.set(String(beerC), performance.timeOrigin + performance.now());
  });
  await peer.subscribeAsync(topic);

  const page = await browser.newPage();
  await signIn(page, rig.url, RIG_USERS.viewer);
  await bridge.publishAsync(topic, JSON.stringify(state(9.9)), { qos: 0, retain: true });
  const cell = `[data-fermenter="${ID}"] [data-field="beerC"]`;
  await page.locator(cell).waitFor();
  // In the page: every change of the watched cell's text, stamped on the page's clock.
  await page.evaluate(`(() => {
    window.seen = [];
    let last = '';
    new MutationObserver(() => {
      const text = document.querySelector(${JSON.stringify(cell)})?.textContent ?? '';
      if (text !== last) {
        last = text;
        window.seen.push({ text, at: performance.timeOrigin + performance.now() });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const clock = await clockOffset(page);

  const pageMs: number[] = [];
  const mqttMs: number[] = [];
  for (let i = 0; i < WARMUP + samples; i++) {
    const v = sampleValue(i);
    peerSeen.clear();
    await page.evaluate('window.seen = []');
    const sent = performance.timeOrigin + performance.now();
    bridge.publish(topic, JSON.stringify(state(v)), { qos: 0, retain: true });
    const handle = await page.waitForFunction(
      (text) =>
        (globalThis as unknown as { seen: Array<{ text: string; at: number }> }).seen.find(
          (s) => s.text === text,
        )?.at,
      shown(v),
      { timeout: 5000, polling: 'raf' },
    );
    const seenAt = (await handle.jsonValue()) as number;
    if (i < WARMUP) continue;
    pageMs.push(seenAt - clock.offsetMs - sent);
    const peerAt = peerSeen.get(String(v));
    if (peerAt !== undefined) mqttMs.push(peerAt - sent);
  }
  await Promise.all([bridge.endAsync(), peer.endAsync()]);

  const p = summary(pageMs);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ samples: pageMs.length, p50Ms: round(p.p50), p99Ms: round(p.p99) })}\n`,
    );
  } else {
    const m = summary(mqttMs);
    const rows: Array<[string, string, string, string]> = [
      ['path', 'p50 ms', 'p99 ms', 'max ms'],
      ['MQTT → dashboard DOM', fmt(p.p50), fmt(p.p99), fmt(p.max)],
      ['MQTT → subscriber (peer)', fmt(m.p50), fmt(m.p99), fmt(m.max)],
      ['dashboard/peer', ratio(p.p50, m.p50), ratio(p.p99, m.p99), ratio(p.max, m.max)],
    ];
    process.stdout.write(
      `Latency, ${pageMs.length} samples (${WARMUP} warm-up left out), loopback, Chromium headless; ` +
        `page clock tied within ±${clock.uncertaintyMs.toFixed(2)} ms\n`,
    );
    for (const r of rows)
      process.stdout.write(
        `${r[0].padEnd(26)}${r
          .slice(1)
          .map((c) => c.padStart(9))
          .join('')}\n`,
      );
    process.stdout.write(
      `Target p99 ≤ ${TARGET_P99_MS} ms: ${p.p99 <= TARGET_P99_MS ? 'met' : 'missed'} (${fmt(p.p99)} ms)\n`,
    );
  }
} finally {
  await browser.close();
  await rig.stop();
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
function fmt(v: number): string {
  return v.toFixed(2);
}
function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(1) : '—';
}
