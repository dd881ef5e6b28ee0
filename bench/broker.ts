// npm run bench:broker [-- --json] [-- --messages N] [-- --runs N] [-- --publishers N] [-- --subscribers N]
//   [-- --window N] [-- --profile DIR (writes a --cpu-prof of the cobrew broker there)]
// The same mqtt.js load against cobrew's embedded broker and against Mosquitto, both in processes of their
// own with authentication and ACL on, then delivered messages per second and their ratio. cobrew's publish
// rate limit is raised out of the way: this measures throughput. This process is the client side.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeAccounts, writeCobrewUsers, writeMosquittoUsers } from './broker/accounts.js';
import { Load, type LoadParams, type QoS, type RunResult } from './broker/load.js';
import { type BrokerProcess, startCobrew, startMosquitto } from './broker/servers.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    publishers: { type: 'string', default: '4' },
    subscribers: { type: 'string', default: '4' },
    messages: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '64' },
    profile: { type: 'string' },
  },
});
const count = (name: keyof typeof values, v: string | boolean | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of at least 1, not ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
};
const publishers = count('publishers', values.publishers);
const subscribers = count('subscribers', values.subscribers);
const runs = count('runs', values.runs);
const load: LoadParams = {
  messages: count('messages', values.messages),
  payloadBytes: 100,
  window: count('window', values.window),
  maxRunMs: 8000,
};
const QOS: readonly QoS[] = [0, 1];
const NAMES = ['cobrew', 'mosquitto'] as const;
type Name = (typeof NAMES)[number];

interface Measured {
  run: RunResult;
  /** Broker CPU per delivery, µs, and its write system calls per delivery; null where /proc cannot tell. */
  brokerUsPerMsg: number | null;
  brokerWritesPerMsg: number | null;
  /** Share of one core the client side (this process) used. */
  clientCpu: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function measure(
  broker: BrokerProcess,
  clients: Load,
  qos: QoS,
  params: LoadParams,
): Promise<Measured> {
  const before = await broker.usage();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await clients.run(qos, params);
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const after = await broker.usage();
  const per = (x: number) => x / Math.max(1, run.delivered);
  return {
    run,
    brokerUsPerMsg: before && after ? per((after.cpuSeconds - before.cpuSeconds) * 1e6) : null,
    brokerWritesPerMsg: before && after ? per(after.writeCalls - before.writeCalls) : null,
    clientCpu: (client.user + client.system) / 1e6 / wall,
  };
}

const brokers: Partial<Record<Name, BrokerProcess>> = {};
const loads: Partial<Record<Name, Load>> = {};
let dir: string | undefined;
const cleanUp = async () => {
  await Promise.all(Object.values(loads).map((l) => l.close()));
  await Promise.all(Object.values(brokers).map((b) => b.stop()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
};
const interrupted = () => {
  cleanUp().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

const results = {} as Record<Name, Record<QoS, Measured[]>>;
try {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-bench-broker-'));
  const accounts = makeAccounts(publishers, subscribers);
  console.error('writing users for both brokers…');
  const [cobrewUsers, mosquittoFiles] = await Promise.all([
    writeCobrewUsers(dir, accounts),
    writeMosquittoUsers(dir, accounts),
  ]);
  brokers.cobrew = await startCobrew(cobrewUsers, values.profile);
  brokers.mosquitto = await startMosquitto(dir, mosquittoFiles);
  for (const name of NAMES) {
    const b = brokers[name] as BrokerProcess;
    console.error(`${name}: pid ${b.pid}, ${b.url}`);
    loads[name] = await Load.connect(b.url, accounts);
    results[name] = { 0: [], 1: [] };
  }
  for (const qos of QOS) {
    for (const name of NAMES) {
      await loads[name]?.subscribe(qos);
      // Warm-up: JIT on both sides, sockets and buffers grown; not counted.
      const warm = await (loads[name] as Load).run(qos, { ...load, messages: Math.ceil(load.messages / 4) });
      console.error(`${name} QoS ${qos} warm-up: ${Math.round(warm.perSecond)} msgs/s`);
    }
    // The brokers take turns, so that a slow moment of the machine does not fall on one of them only.
    for (let r = 1; r <= runs; r++) {
      for (const name of NAMES) {
        const m = await measure(brokers[name] as BrokerProcess, loads[name] as Load, qos, load);
        results[name][qos].push(m);
        const lost = m.run.expected - m.run.delivered;
        console.error(
          `${name} QoS ${qos} run ${r}/${runs}: ${Math.round(m.run.perSecond)} msgs/s, ` +
            `${m.run.delivered}/${m.run.expected} delivered${lost > 0 ? ` (${lost} lost)` : ''} ` +
            `in ${m.run.seconds.toFixed(2)} s; broker ${m.brokerUsPerMsg?.toFixed(2) ?? '?'} µs CPU and ` +
            `${m.brokerWritesPerMsg?.toFixed(3) ?? '?'} write calls per delivery; ` +
            `client side ${(m.clientCpu * 100).toFixed(0)}% of a core`,
        );
      }
    }
  }
} finally {
  await cleanUp();
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
}

const rate = (name: Name, qos: QoS) => Math.round(median(results[name][qos].map((m) => m.run.perSecond)));
const figures = Object.fromEntries(NAMES.map((n) => [n, { qos0: rate(n, 0), qos1: rate(n, 1) }])) as Record<
  Name,
  { qos0: number; qos1: number }
>;
const ratio = {
  qos0: Number((figures.cobrew.qos0 / figures.mosquitto.qos0).toFixed(3)),
  qos1: Number((figures.cobrew.qos1 / figures.mosquitto.qos1).toFixed(3)),
};

if (values.json) {
  const params = { publishers, subscribers, ...load, runs, statistic: 'median', auth: true, acl: true };
  console.log(JSON.stringify({ ...figures, ratio, params }));
} else {
  const per = (name: Name, qos: QoS, key: 'brokerUsPerMsg' | 'brokerWritesPerMsg') => {
    const xs = results[name][qos].map((m) => m[key]);
    return xs.every((x) => x !== null) ? median(xs as number[]) : null;
  };
  const cpu = (name: Name, qos: QoS) => per(name, qos, 'brokerUsPerMsg');
  const fmt = (x: number | null, d: number) => (x === null ? '?' : x.toFixed(d));
  const rows = [
    ['', 'QoS 0 msgs/s', 'QoS 1 msgs/s', 'QoS 0 broker µs CPU/msg', 'QoS 1 broker µs CPU/msg'],
    ...NAMES.map((n) => [
      n,
      String(figures[n].qos0),
      String(figures[n].qos1),
      fmt(cpu(n, 0), 2),
      fmt(cpu(n, 1), 2),
    ]),
  ];
  const c0 = cpu('cobrew', 0);
  const m0 = cpu('mosquitto', 0);
  const c1 = cpu('cobrew', 1);
  const m1 = cpu('mosquitto', 1);
  rows.push([
    'cobrew/mosquitto',
    ratio.qos0.toFixed(2),
    ratio.qos1.toFixed(2),
    c0 === null || m0 === null ? '?' : (c0 / m0).toFixed(2),
    c1 === null || m1 === null ? '?' : (c1 / m1).toFixed(2),
  ]);
  console.log(
    `\n${publishers} publishers × ${load.messages} messages of ${load.payloadBytes} bytes, ` +
      `${subscribers} subscribers reading all; auth and ACL on; median of ${runs} runs`,
  );
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
  const clientCpu = (n: Name) =>
    median(QOS.flatMap((q) => results[n][q].map((m) => m.clientCpu * 100))).toFixed(0);
  const writes = (n: Name) =>
    `${fmt(per(n, 0, 'brokerWritesPerMsg'), 3)} / ${fmt(per(n, 1, 'brokerWritesPerMsg'), 3)}`;
  console.log(
    `broker write system calls per delivery (QoS 0 / QoS 1): cobrew ${writes('cobrew')}, ` +
      `mosquitto ${writes('mosquitto')}`,
  );
  console.log(
    `client side (this process) used ${clientCpu('cobrew')}% of a core against cobrew, ` +
      `${clientCpu('mosquitto')}% against mosquitto: near 100% the clients, not the broker, set the pace`,
  );
}
