// npm run bench:scale [-- --json] [-- --quick] [-- --sizes 1,10,50,100,200] [-- --from-source]
// cobrew at the size of a whole space, measured on real processes: `cobrew start` with N simulated fermenters
// at speed 1 in one process (N = 1, 10, 50, 100, 200), a bridge alone with 4 fermenters on Mosquitto, and two
// bridges with N/2 each plus one hub on Mosquitto at N = 100. Each run: CPU % of one core and resident memory
// (/proc, every thread), the p99 from a state's `at` to its receipt by a dashboard-like MQTT subscriber,
// deliveries per second to that subscriber, and the lag of history.db behind the clock (and whether it grows).
// The reference is the all-in-one at N = 4, measured in the same run; targets from the footprint section of
// docs/footprint.md are printed beside the figures.
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from 'mqtt';
import { addUser, usersFile } from '../broker/credentials.js';
import { MOSQUITTO_USERS, type Mosquitto, startMosquitto } from '../tests/helpers/mosquitto.js';
import { type Measured, measure } from './scale/measure.js';
import { type CobrewProcess, startCobrew } from './scale/process.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '1,10,50,100,200' },
    'from-source': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) {
  console.error(`--sizes must list whole numbers from 1 to 1000, not ${JSON.stringify(values.sizes)}`);
  process.exit(2);
}
const WARMUP_MS = values.quick ? 2000 : 15_000;
const WINDOW_MS = values.quick ? 4000 : 30_000;
/** The two-bridges-and-a-hub run: 100 fermenters, or the largest size asked for. */
const TOPOLOGY_N = values.sizes === '1,10,50,100,200' ? 100 : Math.max(...sizes);
const TARGETS = { allInOneRssMb: 80, bridgeRssMb: 50, latencyP99Ms: 50, idleCpuPct: 1, cpuAt100Pct: 25 };
const WATCHER = { name: 'bench-watch', role: 'viewer', password: 'bench watcher secret' } as const;
const fromSource = values['from-source'];
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

interface Run extends Measured {
  n: number;
  topology: 'all' | 'bridge' | 'bridges+hub';
  /** Spawn to the "is running" line, in ms (the slowest process of the run). */
  readyMs: number;
  /** Spawn to the receipt of the first state published by the run's (first) bridge, in ms. */
  firstStateMs: number;
}

const log = (line: string) => {
  if (!values.json) console.log(line);
};

/**
 * When the first state reaches a subscriber that is connecting while the process starts (retrying every
 * 20 ms until its broker listens), as wall time. A state's `at` cannot tell: a subscriber that joins after
 * start-up is handed the latest retained state, not the first one.
 */
function watchFirstState(
  url: string,
  fermenterPrefix: string,
): { receivedAt: Promise<number>; close(): Promise<void> } {
  const client = connect(url, { clientId: `bench-first-${process.pid}`, reconnectPeriod: 20 });
  client.on('error', () => {}); // refused until the broker listens: it retries
  client.on('connect', () => client.subscribe('cobrew/fermenter/+/state'));
  const receivedAt = new Promise<number>((resolve) => {
    client.on('message', (topic) => {
      if (topic.split('/')[2]?.startsWith(fermenterPrefix)) resolve(Date.now());
    });
  });
  let closed: Promise<void> | undefined;
  return { receivedAt, close: () => (closed ??= client.endAsync(true)) };
}

/** A free TCP port on 127.0.0.1, for a broker the first-state watcher must find before it is announced. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function allInOne(n: number): Promise<Run> {
  const port = await freePort();
  const url = `mqtt://${WATCHER.name}:${encodeURIComponent(WATCHER.password)}@127.0.0.1:${port}`;
  const watch = watchFirstState(url, 'f');
  const p = await startCobrew({
    role: 'all',
    fermenters: ids('f', n),
    mqtt: { port, wsPort: 0 },
    fromSource,
    prepare: async (dir) => void (await addUser(usersFile(dir), WATCHER, { N: 1024, r: 8, p: 1 })),
  }).catch(async (err) => {
    await watch.close();
    throw err;
  });
  try {
    const first = (await watch.receivedAt) - p.spawnedAt;
    await watch.close();
    const m = await measure({
      processes: [{ role: 'all', pid: p.pid }],
      subscribeUrl: url,
      baseTopic: 'cobrew',
      historyDb: join(p.dir, 'history.db'),
      warmupMs: WARMUP_MS,
      windowMs: WINDOW_MS,
    });
    return { n, topology: 'all', readyMs: p.readyMs, firstStateMs: first, ...m };
  } finally {
    await p.stop();
  }
}

/** Bridges with these fermenter counts on one Mosquitto, with a hub unless `hub` is false. */
async function overMosquitto(counts: number[], hub: boolean): Promise<Run> {
  const names = counts.map((_, i) => `bridge${i + 1}`);
  const accounts = [...names, 'hub'].map((name) => ({ name, password: `${name} secret` }));
  const mosquitto: Mosquitto = await startMosquitto({
    users: [...accounts, MOSQUITTO_USERS.watcher],
    acl: [
      ...names.flatMap((b) => [
        `user ${b}`,
        'topic readwrite cobrew/#',
        'topic readwrite homeassistant/#',
        '',
      ]),
      'user hub',
      'topic readwrite cobrew/#',
      '',
      'user watcher',
      'topic read cobrew/#',
      '',
    ].join('\n'),
  });
  const started: CobrewProcess[] = [];
  let watch: ReturnType<typeof watchFirstState> | undefined;
  try {
    const mqtt = (name: string) => ({
      url: mosquitto.url,
      username: name,
      password: `${name} secret`,
      ...(name === 'hub' ? {} : { bridgeId: name }),
    });
    const url = mosquitto.urlFor(MOSQUITTO_USERS.watcher);
    watch = watchFirstState(url, 'b1f');
    const bridges = await Promise.all(
      counts.map((c, i) =>
        startCobrew({
          role: 'bridge',
          fermenters: ids(`b${i + 1}f`, c),
          mqtt: mqtt(names[i] as string),
          fromSource,
        }),
      ),
    );
    started.push(...bridges);
    const first = (await watch.receivedAt) - (bridges[0] as CobrewProcess).spawnedAt;
    await watch.close();
    const hubProcess = hub
      ? await startCobrew({ role: 'hub', fermenters: [], mqtt: mqtt('hub'), fromSource })
      : undefined;
    if (hubProcess !== undefined) started.push(hubProcess);
    const m = await measure({
      processes: started.map((p, i) => ({ role: i < bridges.length ? 'bridge' : 'hub', pid: p.pid })),
      subscribeUrl: url,
      baseTopic: 'cobrew',
      historyDb: hubProcess === undefined ? null : join(hubProcess.dir, 'history.db'),
      warmupMs: WARMUP_MS,
      windowMs: WINDOW_MS,
    });
    const n = counts.reduce((s, c) => s + c, 0);
    return {
      n,
      topology: hub ? 'bridges+hub' : 'bridge',
      readyMs: Math.max(...started.map((p) => p.readyMs)),
      firstStateMs: first,
      ...m,
    };
  } finally {
    await watch?.close();
    for (const p of started) await p.stop();
    await mosquitto.close();
  }
}

const runs: Run[] = [];
const show = (r: Run) =>
  log(
    `${r.topology.padEnd(12)} N=${String(r.n).padStart(3)}  cpu ${String(r.cpuPct).padStart(5)} %  ` +
      `rss ${String(r.rssMb).padStart(6)} MB  p50/p99 ${r.latencyP50Ms}/${r.latencyP99Ms} ms  ` +
      `history lag ${r.historyLagMs ?? '-'} ms (growth ${r.historyLagGrowthMs ?? '-'})  ` +
      `${r.deliveriesPerS}/s  ready ${r.readyMs} ms, first state ${r.firstStateMs} ms` +
      (r.perProcess.length > 1 ? `  [${r.perProcess.map((p) => `${p.role} ${p.rssMb} MB`).join(', ')}]` : ''),
  );

const reference = await allInOne(4);
runs.push(reference);
show(reference);
for (const n of sizes) {
  const r = await allInOne(n);
  runs.push(r);
  show(r);
}
const bridgeAlone = await overMosquitto([4], false);
runs.push(bridgeAlone);
show(bridgeAlone);
const half = Math.ceil(TOPOLOGY_N / 2);
const topology = await overMosquitto([half, TOPOLOGY_N - half], true);
runs.push(topology);
show(topology);

const at100 = runs.find((r) => r.topology === 'all' && r.n === 100);
const ratios = {
  allInOneRssOverTarget: reference.rssMb / TARGETS.allInOneRssMb,
  bridgeRssOverTarget: bridgeAlone.rssMb / TARGETS.bridgeRssMb,
  ...(at100 === undefined
    ? {}
    : {
        latencyP99At100OverTarget: at100.latencyP99Ms / TARGETS.latencyP99Ms,
        cpuAt100OverTarget: at100.cpuPct / TARGETS.cpuAt100Pct,
      }),
};
/** Not targets: how N = 100 compares with the reference. */
const versusReference =
  at100 === undefined
    ? {}
    : {
        rssAt100OverReference: at100.rssMb / reference.rssMb,
        cpuAt100OverReference: at100.cpuPct / reference.cpuPct,
      };
if (values.json) {
  console.log(
    JSON.stringify({ runs, reference: { n: 4, topology: 'all' }, targets: TARGETS, ratios, versusReference }),
  );
} else {
  log('');
  log(`targets: ${JSON.stringify(TARGETS)}`);
  for (const [k, v] of Object.entries(ratios)) log(`${k}: ${v.toFixed(2)} (≤ 1 meets the target)`);
  for (const [k, v] of Object.entries(versusReference)) log(`${k}: ${v.toFixed(2)}`);
}
