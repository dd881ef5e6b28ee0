// A bounded fuzz of every API route (from the OpenAPI document) and of every MQTT topic cobrew reads, with
// random, deep and huge values, against the real application: no answer is a 500, no request hangs, the
// history keeps recording and no output moves. Seeded, so a failure can be replayed.
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, usersFile } from '../../broker/credentials.js';
import { topicsFor } from '../../broker/topics.js';
import { StateStore } from '../../dashboard/state-store.js';
import { decodeMessage } from '../../history/payloads.js';
import { TEST_COST } from '../broker/auth-rig.js';
import { type Rig, startRig } from '../dashboard/api/rig.js';
import type { ApiClient } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';

/** mulberry32: small, seeded, good enough to pick values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261204;
const rnd = random(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

const NUMBERS = [0, -0, 1, -1, 1.5, 2 ** 53, -(2 ** 53), 1e26, -1e308, 1e308, 8.64e15, 5e-324, 1000, 20];
const STRINGS = ['', ' ', 'ale', 'a/b', '../../etc/passwd', '%00', '<script>', '\u0000', 'é🍺', '1e26', '-1'];

function value(depth = 0): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.35) return pick(NUMBERS);
  if (r < 0.55) return pick(STRINGS);
  if (r < 0.6) return 'x'.repeat(Math.floor(rnd() * 200_000));
  if (r < 0.65) return pick([true, false, null]);
  if (r < 0.7) return deep(1 + Math.floor(rnd() * 150));
  if (r < 0.85) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
  const keys = [
    'name',
    'mode',
    'beerSetpointC',
    'gravity',
    'id',
    'from',
    'to',
    'steps',
    'token',
    '__proto__',
  ];
  return Object.fromEntries(
    Array.from({ length: Math.floor(rnd() * 6) }, () => [pick(keys), value(depth + 1)]),
  );
}

/** Nested `depth` levels, arrays or objects. */
function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = rnd() < 0.5 ? [v] : { a: v };
  return v;
}

function queryValue(): string {
  const v = value(4);
  return typeof v === 'string' ? v.slice(0, 2000) : (JSON.stringify(v) ?? '');
}

interface Operation {
  method: string;
  path: string;
  query: string[];
}

describe('fuzz of the API and MQTT', () => {
  let rig: Rig;
  let viewer: ApiClient;
  let admin: ApiClient;
  beforeAll(async () => {
    rig = await startRig({ yaml: 'ispindels:\n  - { name: green, fermenter: ale, unit: sg }\n' });
    viewer = await rig.as('viewer');
    admin = await rig.as('admin');
  });
  afterAll(async () => rig?.stop());

  it('answers every route with random, deep and huge values without a 500 or a hang, and moves nothing', async () => {
    const doc = (
      await admin.get<{
        paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
      }>('docs/json')
    ).body;
    const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
    expect(operations.length).toBeGreaterThan(10);
    const historyBefore = await admin.get<{ t: number[] }>('api/fermenters/ale/history?maxPoints=10000');
    const newestBefore = historyBefore.body.t.at(-1) ?? 0;

    const failures: string[] = [];
    const ROUNDS = 3;
    for (let round = 0; round < ROUNDS; round++) {
      for (const op of operations) {
        if (op.path === '/api/live') continue; // a stream that stays open by design
        const path = op.path.replace(/\{[^}]+\}/g, () =>
          encodeURIComponent(String(queryValue()).slice(0, 300)),
        );
        const params = op.query
          .filter(() => rnd() < 0.7)
          .map((name) => `${name}=${encodeURIComponent(queryValue())}`)
          .join('&');
        const url = `${path.slice(1)}${params === '' ? '' : `?${params}`}`;
        const body =
          op.method === 'GET' || op.method === 'HEAD' || op.method === 'DELETE' ? undefined : value();
        for (const who of [viewer, rig.client()]) {
          // A hang fails the test by its time limit; an answer that is not JSON (a page) is fine.
          const res = await who.request(op.method, url, body, {}).catch(() => null);
          if (res !== null && res.status >= 500)
            failures.push(`${op.method} ${url.slice(0, 120)}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing a viewer or a stranger sent was taken as a command.
    const audit = await admin.get<{ entries: unknown[] }>('api/audit');
    expect(audit.body.entries).toEqual([]);
    // The history still records.
    await eventually(async () => {
      const after = await admin.get<{ t: number[] }>('api/fermenters/ale/history?maxPoints=10000');
      return (after.body.t.at(-1) ?? 0) > newestBefore ? true : undefined;
    }, 'new readings in the history after the fuzz');
    expect((await rig.client().get('healthz')).status).toBe(200);
  }, 300_000);

  it('decodes every MQTT topic cobrew reads, whatever the payload, without throwing', () => {
    const store = new StateStore(topicsFor('cobrew'));
    const topics = [
      'cobrew/fermenter/ale/state',
      'cobrew/fermenter/ale/incident',
      'cobrew/fermenter/ale/availability',
      'cobrew/fermenter//state',
      'cobrew/fermenter/a/b/state',
    ];
    for (let i = 0; i < 3000; i++) {
      const v = i % 3 === 0 ? value() : { ...(value() as object), id: 'ale', at: pick(NUMBERS) };
      const payload = Buffer.from(rnd() < 0.1 ? String(v).slice(0, 1000) : (JSON.stringify(v) ?? ''));
      const topic = pick(topics);
      expect(() => decodeMessage(topic, payload, 'cobrew', Date.now())).not.toThrow();
      expect(() => store.ingest(topic, payload)).not.toThrow();
    }
  });

  it('keeps running when an iSpindel account publishes random values on its topics', async () => {
    await addUser(
      usersFile(rig.dataDir),
      { name: 'green', role: 'ispindel', password: 'green floats' },
      TEST_COST,
    );
    const url = new URL(rig.app.mqttUrl);
    url.username = 'green';
    url.password = 'green%20floats';
    const client = await eventually(
      () => connectAsync(url.toString(), { reconnectPeriod: 0 }).catch(() => undefined),
      'the iSpindel account',
    );
    try {
      for (let i = 0; i < 200; i++) {
        const key = pick([
          'tilt',
          'temperature',
          'temp_units',
          'battery',
          'gravity',
          'interval',
          'RSSI',
          'x',
        ]);
        const v = value();
        await client.publishAsync(`ispindel/green/${key}`, (JSON.stringify(v) ?? '').slice(0, 30_000));
      }
    } finally {
      await client.endAsync();
    }
    expect((await rig.client().get('healthz')).status).toBe(200);
    const audit = await admin.get<{ entries: unknown[] }>('api/audit');
    expect(audit.body.entries).toEqual([]);
  });
});
