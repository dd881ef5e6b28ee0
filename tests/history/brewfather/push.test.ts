// The Brewfather Custom Stream push against a real local HTTP server standing in for log.brewfather.net:
// the documented JSON, one post per device per 15 minutes, retries after failures, and a restart that
// sends what was waiting.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import type { BrewfatherSettings } from '../../../history/brewfather/config-schema.js';
import { BrewfatherPush } from '../../../history/brewfather/push.js';

interface Received {
  url: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

let server: Server;
let url: string;
const received: Received[] = [];
/** Statuses the server answers with, in turn; 200 once they run out. */
const answers: number[] = [];

const read = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const status = answers.shift() ?? 200;
    if (status === 200) {
      received.push({
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(await read(req)),
      });
    } else {
      await read(req);
    }
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(status === 200 ? '{"result":"OK"}' : '{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream?id=abc123`;
});
afterAll(() => server.close());

const dirs: string[] = [];
afterEach(() => {
  received.length = 0;
  answers.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function rig(dir = mkdtempSync(join(tmpdir(), 'cobrew-bf-'))) {
  dirs.push(dir);
  const settings: BrewfatherSettings = {
    streamUrl: url,
    fermenters: ['ale', 'lager'],
    intervalS: 900,
    retryMinS: 30,
    timeoutMs: 2000,
  };
  const clock = new ManualClock();
  const warnings: Record<string, unknown>[] = [];
  const log = { info() {}, warn: (obj: object, msg: string) => warnings.push({ ...obj, msg }) };
  return { dir, clock, warnings, push: new BrewfatherPush(settings, dir, clock, log) };
}

const MIN = 60_000;

describe('Brewfather Custom Stream push', () => {
  it("posts Brewfather's documented JSON, one post per device per 15 minutes, the newest reading", async () => {
    const { push, clock } = rig();
    push.offer('ale', { at: clock.now(), beerC: 18.234, gravity: 1.04567 });
    push.offer('stout', { at: clock.now(), beerC: 20, gravity: 1.06 }); // not listed: ignored
    await push.tick();
    expect(received).toEqual([
      {
        url: '/stream?id=abc123',
        contentType: 'application/json',
        body: {
          name: 'ale',
          temp: 18.23,
          temp_unit: 'C',
          gravity: 1.0457,
          gravity_unit: 'G',
          comment: 'cobrew 2026-01-01T00:00:00.000Z',
        },
      },
    ]);
    // Two more readings within the interval: nothing goes until it has passed, then only the newer.
    clock.advance(5 * MIN);
    push.offer('ale', { at: clock.now(), beerC: 18.1, gravity: 1.044 });
    await push.tick();
    clock.advance(5 * MIN);
    push.offer('ale', { at: clock.now(), beerC: 18.0, gravity: null });
    await push.tick();
    expect(received).toHaveLength(1);
    clock.advance(5 * MIN - 1);
    await push.tick();
    expect(received).toHaveLength(1);
    clock.advance(1);
    await push.tick();
    expect(received.map((r) => r.body)).toEqual([
      expect.objectContaining({ gravity: 1.0457 }),
      { name: 'ale', temp: 18, temp_unit: 'C', comment: 'cobrew 2026-01-01T00:10:00.000Z' },
    ]);
    // Each device has its own interval.
    push.offer('lager', { at: clock.now(), beerC: 10, gravity: 1.05 });
    await push.tick();
    expect(received.at(-1)?.body.name).toBe('lager');
  });

  it('keeps the reading after a failure and retries, waiting twice as long each time', async () => {
    const { push, clock, warnings } = rig();
    answers.push(503, 500);
    push.offer('ale', { at: clock.now(), beerC: 18, gravity: 1.05 });
    await push.tick();
    expect(warnings.map((w) => [w.reason, w.retryInS])).toEqual([['HTTP 503', 30]]);
    clock.advance(29_999);
    await push.tick();
    expect(warnings).toHaveLength(1);
    clock.advance(1);
    await push.tick();
    expect(warnings.map((w) => w.retryInS)).toEqual([30, 60]);
    // A newer reading replaces the waiting one.
    push.offer('ale', { at: clock.now(), beerC: 17.5, gravity: 1.049 });
    clock.advance(60_000);
    await push.tick();
    expect(received.map((r) => r.body.gravity)).toEqual([1.049]);
    expect(push.pending()).toEqual({});
  });

  it('drops a reading Brewfather refuses for good, saying to check the stream URL', async () => {
    const { push, clock, warnings } = rig();
    answers.push(400);
    push.offer('ale', { at: clock.now(), beerC: 18, gravity: 1.05 });
    await push.tick();
    expect(push.pending()).toEqual({});
    expect(warnings).toEqual([
      expect.objectContaining({
        reason: 'HTTP 400',
        msg: 'Brewfather refused the post; check brewfather.streamUrl',
      }),
    ]);
  });

  it('sends after a restart what was waiting when it stopped', async () => {
    const first = rig();
    answers.push(503);
    first.push.offer('lager', { at: first.clock.now(), beerC: 10.5, gravity: 1.048 });
    await first.push.tick();
    expect(received).toHaveLength(0);
    const second = rig(first.dir);
    await second.push.tick();
    expect(received.map((r) => r.body)).toEqual([expect.objectContaining({ name: 'lager', gravity: 1.048 })]);
  });
});
