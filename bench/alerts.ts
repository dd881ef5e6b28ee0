// npm run bench:alerts [-- --json] [-- --faults N] [-- --flappers N] [-- --flaps N]
// Time from a fault to the message accepted by a local webhook server, through the real path: an embedded
// MQTT broker, the alerts service (rules, router, durable queue in SQLite, dispatcher) and the webhook
// channel. Each fault is a trip incident published at QoS 1 on its own fermenter, one after another, so the
// figure is the latency of one alert, not of a queue of them. Then flapping sensors: fermenters whose trip
// comes and goes many times in a row, which must give one message each, and no duplicate anywhere.
// Target: p99 ≤ 2 s beyond the detection (the incident reaching cobrew), 0 duplicates, 0 lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectAsync } from 'mqtt';
import { webhookChannel } from '../alerts/channels/webhook.js';
import { AlertsSchema } from '../alerts/config-schema.js';
import { startAlerts } from '../alerts/service.js';
import { startEmbeddedBroker } from '../broker/embedded.js';
import { silentLog } from '../broker/log.js';
import { topicsFor } from '../broker/topics.js';
import { systemClock } from '../common/clock.js';
import { schemaChecker } from '../common/schema-check.js';

const TARGET_P99_MS = 2000;
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    faults: { type: 'string', default: '200' },
    flappers: { type: 'string', default: '20' },
    flaps: { type: 'string', default: '20' },
  },
});
const whole = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}, not ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
};
const faults = whole('faults', values.faults, 1);
const flappers = whole('flappers', values.flappers, 0);
const flaps = whole('flaps', values.flaps, 1);
const say = (line: string) => {
  if (!values.json) console.log(line);
};

// The local server: every accepted message, by its idempotency key, with the time it arrived.
const accepted: Array<{ key: string; alertId: string; kind: string; fermenterId: string; at: number }> = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      alertId: string;
      kind: string;
      fermenterId: string;
    };
    accepted.push({
      key: String(req.headers['idempotency-key']),
      alertId: body.alertId,
      kind: body.kind,
      fermenterId: body.fermenterId,
      at,
    });
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const dataDir = mkdtempSync(join(tmpdir(), 'cobrew-bench-alerts-'));
// The bench's bridge publishes far faster than a real one: lift the per-client rate limit.
const broker = await startEmbeddedBroker({
  host: '127.0.0.1',
  port: 0,
  limits: { publishesPerSecond: 100_000, publishBurst: 100_000 },
});
const settings = schemaChecker(
  AlertsSchema,
  'alerts',
)({
  groupSeconds: 3600,
  perChannelPerHour: 3600,
  rota: [
    { user: 'duty', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' },
  ],
});
const alerts = await startAlerts({
  settings,
  dataDir,
  url: broker.url,
  baseTopic: 'cobrew',
  clientOptions: {},
  clock: systemClock,
  owners: { ownersOf: () => ({ owner: null, coBrewers: [] }) },
  people: { admins: () => [] },
  log: silentLog,
  channels: { webhook: webhookChannel(settings.timeoutMs) },
});
alerts.store.saveContact('duty', {
  lang: 'en',
  quietHours: null,
  channels: { webhook: { url: hookUrl, secret: 'bench-secret-0123456789' } },
});
const bridge = await connectAsync(broker.url, { reconnectPeriod: 0 });
const topics = topicsFor('cobrew');

const incident = (fermenterId: string, n: number) =>
  JSON.stringify({
    id: n,
    fermenterId,
    code: 'COBREW_ERR_SENSOR_DISCONNECTED',
    severity: 'trip',
    at: Date.now(),
    message: 'bench',
    context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
  });
const state = (id: string, tripped: boolean) =>
  JSON.stringify({
    id,
    name: id,
    at: Date.now(),
    beerC: 18,
    chamberC: 17,
    ambientC: 20,
    mode: 'beer',
    beerSetpointC: 18,
    chamberSetpointC: 17,
    outputs: { heat: false, cool: false },
    controllerState: 'idle',
    safety: {
      status: tripped ? 'tripped' : 'ok',
      trips: tripped ? ['COBREW_ERR_SENSOR_DISCONNECTED'] : [],
      alarms: [],
    },
    gravity: null,
    hydrometerBatteryV: null,
  });
const until = async (done: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!done() && performance.now() < end) await new Promise((r) => setTimeout(r, 1));
};

// 1. Latency: one fault at a time.
const latencies: number[] = [];
let lost = 0;
for (let i = 0; i < faults; i++) {
  const id = `f${i}`;
  const before = accepted.length;
  const t0 = performance.now();
  await bridge.publishAsync(topics.fermenterIncident(id), incident(id, i), { qos: 1 });
  await until(() => accepted.length > before, 10_000);
  const got = accepted.slice(before).find((a) => a.fermenterId === id);
  if (got === undefined) lost += 1;
  else latencies.push(got.at - t0);
}

// 2. Flapping sensors: each flapper trips and clears `flaps` times in quick succession.
for (let f = 0; f < flappers; f++) {
  const id = `flap${f}`;
  for (let k = 0; k < flaps; k++) {
    await bridge.publishAsync(topics.fermenterState(id), state(id, true));
    await bridge.publishAsync(topics.fermenterState(id), state(id, false));
  }
}
await until(() => accepted.filter((a) => a.fermenterId.startsWith('flap')).length >= flappers, 10_000);
// Give any duplicate time to show.
await new Promise((r) => setTimeout(r, 1500));
const flapMessages = accepted.filter((a) => a.fermenterId.startsWith('flap'));
lost += flappers - new Set(flapMessages.map((a) => a.fermenterId)).size;
const keys = accepted.map((a) => a.key);
// A duplicate: the same message twice, or a second raise for the same fermenter's fault.
const duplicates =
  keys.length - new Set(keys).size + (accepted.length - new Set(accepted.map((a) => a.fermenterId)).size);

await bridge.endAsync();
await alerts.close();
await broker.close();
server.close();
rmSync(dataDir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? Number.NaN;
const p50Ms = Number(pct(50).toFixed(1));
const p99Ms = Number(pct(99).toFixed(1));
if (values.json) {
  console.log(
    JSON.stringify({
      p50Ms,
      p99Ms,
      duplicates,
      lost,
      faults,
      flappers,
      flaps,
      targetP99Ms: TARGET_P99_MS,
      p99VsTarget: Number((p99Ms / TARGET_P99_MS).toFixed(4)),
    }),
  );
} else {
  say(`alerts: ${faults} faults, one at a time, incident published → webhook accepted`);
  say(`  p50 ${p50Ms} ms, p99 ${p99Ms} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
  say(
    `  p99 / target (${TARGET_P99_MS} ms): ${(p99Ms / TARGET_P99_MS).toFixed(4)} — ${p99Ms <= TARGET_P99_MS ? 'met' : 'missed'}`,
  );
  say(`flapping: ${flappers} sensors × ${flaps} trips: ${flapMessages.length} messages`);
  say(`duplicates ${duplicates} (target 0), lost ${lost} (target 0)`);
}
