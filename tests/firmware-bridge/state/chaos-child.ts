// One life of cobrew's fermenter runtime for the chaos test: a fleet of simulated fermenters on a two-day
// profile at high speed, its control state in <data dir>/control.db, until it is killed. It prints one JSON
// line per thing the test judges (step changes, output edges, safety changes, acknowledged commands) and
// takes `{"beerSetpointC": n, "seq": k}` lines on stdin for the fermenter `d`, acknowledging each once done.
// One state per fermenter per simulated minute goes to the history store, and each committed batch's newest
// reading is printed once the store acknowledges it.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { silentLog } from '../../../broker/log.js';
import { ScaledClock } from '../../../common/clock.js';
import type { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';
import { openControlState } from '../../../firmware-bridge/state/sqlite-store.js';
import { HistoryService } from '../../../history/service.js';

export const PROFILE = [
  { type: 'hold', targetC: 20, durationH: 16 },
  { type: 'ramp', targetC: 4, durationH: 16 },
  { type: 'hold', targetC: 2, durationH: 16 },
] as const;

const [dataDir, speedText, life] = process.argv.slice(2);
const speed = Number(speedText);
const store = openControlState(dataDir as string);
const clock = new ScaledClock(speed, store.clockOrigin(speed, Date.now()));
const board = { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 20 };
const configs = [
  ...['a', 'b'].map((id) => ({ id, name: id, board, control: { mode: 'profile', profile: PROFILE } })),
  // `c` loses its beer probe for a while when told to (until the test has seen it trip): a trip nobody clears.
  {
    id: 'c',
    name: 'c',
    board: {
      ...board,
      faults:
        life === 'first'
          ? [{ afterH: 0.1, forH: 0.5, fault: { kind: 'sensor-unplugged', probe: 'beer' } }]
          : [],
    },
    control: { mode: 'profile', profile: PROFILE },
  },
  { id: 'd', name: 'd', board, control: { mode: 'beer', beerSetpointC: 18 } },
].map((c) => checkFermenterConfig(c));
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const history = await HistoryService.start({
  path: join(dataDir as string, 'history.db'),
  retentionMs: 30 * 86_400_000,
  queueMax: 1_000_000,
  log: silentLog,
});
/** The newest reading written per fermenter, not yet known to be committed. */
const written = new Map<string, number>();

const fleet = createFleet({
  fermenters: configs,
  clock,
  store,
  onError: (id, err) => out({ error: id, message: String(err) }),
});
for (const handle of fleet.fermenters) {
  const f = handle as unknown as Fermenter;
  out({ resumed: f.id, from: f.resumed.from, intent: f.intent() });
  let last = '';
  f.on('state', (s) => {
    if (s.at - (written.get(s.id) ?? 0) >= 60_000 && s.beerC !== null) {
      history.write([
        {
          kind: 'state',
          mode: s.mode,
          profileStep: s.profileStep ?? null,
          reading: { fermenterId: s.id, at: s.at, fields: { beerC: s.beerC } },
        },
      ]);
      written.set(s.id, s.at);
    }
    const key = `${s.profileStep}|${s.outputs.heat}|${s.outputs.cool}|${s.safety.status}`;
    if (key === last) return;
    last = key;
    out({
      id: s.id,
      at: s.at,
      step: s.profileStep,
      heat: s.outputs.heat,
      cool: s.outputs.cool,
      safety: s.safety.status,
    });
  });
}
fleet.start();
out({ ready: clock.now() });
// How far this life got, for the test's view of each outage.
setInterval(() => out({ alive: clock.now() }), 100);
// Every 200 ms: what was written so far, once the store says it is committed.
const acknowledge = async () => {
  const batch = Object.fromEntries(written);
  await history.flushed();
  out({ committed: batch });
  setTimeout(acknowledge, 200);
};
void acknowledge();

const d = fleet.fermenters.find((f) => f.id === 'd');
createInterface({ input: process.stdin }).on('line', (line) => {
  const { beerSetpointC, seq } = JSON.parse(line) as { beerSetpointC: number; seq: number };
  d?.setBeerSetpoint(beerSetpointC, 'chaos');
  out({ ack: seq });
});
// Asked to finish (the test's end): outputs off, state flushed.
process.on('SIGTERM', () => {
  void fleet.stop().then(async () => {
    store.close();
    await history.close();
    process.exit(0);
  });
});
