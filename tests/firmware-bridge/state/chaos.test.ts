// The chaos test: cobrew's fermenter runtime (a fleet of four simulated fermenters, three on a two-day
// profile at ×2000) killed with SIGKILL at random moments, 20 times, and started again each time on the same
// data directory. Some kills land while a setpoint change is being acknowledged, and all of them while
// fermenter c has a latched trip. At the end: every profile step began on the schedule of an uninterrupted
// run, or at the first tick after the outage it fell in; c's trip was never forgotten; no compressor
// restarted inside its minimum off time; every acknowledged setpoint came back after each restart; the
// history holds every reading its store had acknowledged before each kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../app/cli-helpers.js';

const SPEED = 2000;
const KILLS = 20;
const H = 3_600_000;
/** The profile of chaos-child.ts: step k starts this long after the profile's start. */
const STEP_STARTS = [0, 16 * H, 32 * H, 48 * H];
const COOL_MIN_OFF_MS = 300_000;
const TICK_MS = 1000;

type Line = Record<string, unknown>;
interface StateLine {
  id: string;
  at: number;
  step: number | null;
  heat: boolean;
  cool: boolean;
  safety: string;
  life: number;
}

const dir = mkdtempSync(join(tmpdir(), 'cobrew-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One life: the child, its lines as they come, and its exit. */
function spawnLife(
  fault: boolean,
  onLine: (l: Line) => void,
): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/firmware-bridge/state/chaos-child.ts',
      dir,
      String(SPEED),
      fault ? 'first' : 'again',
    ],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin?.on('error', () => {});
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    onLine(JSON.parse(text) as Line);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: SIGKILL at random moments', () => {
  it('keeps profiles on schedule, trips latched, minimum off times and every acknowledged change', async () => {
    const states: StateLine[] = [];
    /** Per life: the last simulated time it was seen alive, and its first state's time. */
    const lives: Array<{ lastAt: number; firstAt: number | null }> = [];
    const resumed: Array<{
      life: number;
      id: string;
      intent: { beerSetpointC: number; profileStartAt: number };
    }> = [];
    const sent = new Map<number, number>();
    const acked: number[] = [];
    /** The highest acknowledged command when each life started. */
    const ackedBefore: number[] = [];
    const errors: Line[] = [];
    /** Readings the history store acknowledged: fermenter → reading times. */
    const committed: Array<[string, number]> = [];
    let seq = 0;

    for (let life = 0; life <= KILLS; life++) {
      lives.push({ lastAt: Number.NEGATIVE_INFINITY, firstAt: null });
      ackedBefore.push(acked.at(-1) ?? -1);
      let ready = false;
      let done = false;
      // c's probe fault is acted out until c has been seen tripped; from then on only the store keeps the trip.
      const tripSeen = states.some((s) => s.id === 'c' && s.safety === 'tripped');
      const { child, exited } = spawnLife(!tripSeen, (l) => {
        const me = lives[life] as { lastAt: number; firstAt: number | null };
        if ('ready' in l) ready = true;
        if ('alive' in l) me.lastAt = Math.max(me.lastAt, l.alive as number);
        if ('resumed' in l) resumed.push({ life, id: l.resumed as string, intent: l.intent as never });
        if ('ack' in l) acked.push(l.ack as number);
        if ('error' in l) errors.push(l);
        if ('committed' in l) committed.push(...Object.entries(l.committed as Record<string, number>));
        if ('at' in l) {
          const s = { ...(l as unknown as StateLine), life };
          states.push(s);
          me.firstAt ??= s.at;
          me.lastAt = Math.max(me.lastAt, s.at);
          const profiles = states.filter((x) => x.life === life && x.id !== 'd' && x.step === null);
          if (new Set(profiles.map((x) => x.id)).size === 3) done = true;
        }
      });
      const send = () => {
        const value = 5 + (seq % 600) / 20;
        sent.set(seq, value);
        child.stdin?.write(`${JSON.stringify({ beerSetpointC: value, seq })}\n`);
        seq++;
      };
      if (life < KILLS) {
        // Every fifth kill lands at a random moment of the start itself; the others while it runs.
        const spawned = Date.now();
        if (life % 5 === 4) {
          await sleep(Math.random() * 1500);
        } else {
          while (!ready && Date.now() - spawned < 60_000) await sleep(20);
          const killAt = Date.now() + 200 + Math.random() * 1300;
          while (Date.now() < killAt) {
            send();
            await sleep(50 + Math.random() * 100);
          }
        }
        // Every third kill lands right as a change is being stored and acknowledged.
        if (ready && life % 3 === 0) send();
        child.kill('SIGKILL');
      } else {
        // The last life runs until every profile has finished.
        const deadline = Date.now() + 90_000;
        while (!done && Date.now() < deadline) {
          if (ready) send();
          await sleep(200);
        }
        child.kill('SIGTERM');
      }
      await exited;
    }

    expect(errors).toEqual([]);
    const ofId = (id: string) => states.filter((s) => s.id === id);
    // Outages as seen from outside: from the last sign of life to the next life's first state.
    const outages = lives
      .slice(1)
      .map((l, i) => ({ from: (lives[i] as { lastAt: number }).lastAt, to: l.firstAt }));

    // 1. Profiles: each step starts on schedule, or at the first tick after the outage it fell in.
    const starts = resumed.filter((r) => r.id === 'a').map((r) => r.intent.profileStartAt);
    expect(new Set(starts).size).toBe(1);
    const start = starts[0] as number;
    let finished = 0;
    for (const id of ['a', 'b', 'c']) {
      const list = ofId(id);
      for (let k = 1; k < STEP_STARTS.length; k++) {
        const due = start + (STEP_STARTS[k] as number);
        const step = k < STEP_STARTS.length - 1 ? k : null;
        const first = list.find((s) => s.step === step);
        expect(first, `${id} step ${k}`).toBeDefined();
        const at = (first as StateLine).at;
        expect(
          list.some((s) => s.at < due && s.step === step),
          `${id} step ${k} early`,
        ).toBe(false);
        const down = outages.find((o) => o.from <= due && o.to !== null && due <= o.to);
        const latest = (down?.to ?? due) + TICK_MS;
        expect(at, `${id} step ${k} late`).toBeLessThanOrEqual(latest);
        expect(at).toBeGreaterThanOrEqual(due);
      }
      if (list.at(-1)?.step === null) finished++;
    }
    expect(finished).toBe(3);

    // 2. c's trip, once latched, is never forgotten: every later state is tripped with its outputs off.
    const c = ofId('c');
    const tripped = c.findIndex((s) => s.safety === 'tripped');
    expect(tripped).toBeGreaterThanOrEqual(0);
    const after = c.slice(tripped);
    const trippedLives = new Set(after.map((s) => s.life)).size;
    expect(after.every((s) => s.safety === 'tripped' && !s.heat && !s.cool)).toBe(true);
    expect(trippedLives).toBeGreaterThan(KILLS / 2);

    // 3. No compressor started inside its minimum off time, restarts included.
    let coolStarts = 0;
    for (const id of ['a', 'b', 'd']) {
      const list = ofId(id);
      let offSince = Number.NEGATIVE_INFINITY;
      let on = false;
      for (const s of list) {
        if (s.cool && !on) {
          coolStarts++;
          expect(s.at - offSince, `${id} cool at ${s.at}`).toBeGreaterThanOrEqual(COOL_MIN_OFF_MS - TICK_MS);
        }
        if (!s.cool && on) offSince = s.at;
        on = s.cool;
      }
      // A life ends with the compressor stopped at the latest: it counts as off from the next life's first state.
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1] as StateLine;
        const s = list[i] as StateLine;
        if (s.life !== prev.life && prev.cool) {
          const next = list.slice(i).find((x) => x.cool);
          if (next) expect(next.at - s.at).toBeGreaterThanOrEqual(COOL_MIN_OFF_MS - TICK_MS);
        }
      }
    }
    expect(coolStarts).toBeGreaterThan(3);

    // 4. Every acknowledged change came back: d resumed with the last acknowledged value or a later one sent.
    let lost = 0;
    for (const r of resumed.filter((x) => x.id === 'd' && x.life > 0)) {
      const before = ackedBefore[r.life] as number;
      if (before < 0) continue;
      const allowed = [...sent].filter(([s]) => s >= before).map(([, v]) => v);
      if (!allowed.includes(r.intent.beerSetpointC)) lost++;
    }
    expect(lost).toBe(0);
    expect(acked.length).toBeGreaterThan(KILLS);

    // 5. Every reading the history store acknowledged, in whichever life, is in history.db.
    const db = new Database(join(dir, 'history.db'), { readonly: true });
    const has = db.prepare<[string, number], number>(
      'SELECT count(*) FROM raw JOIN fermenters ON raw.f = fermenters.id WHERE fermenters.name = ? AND raw.t = ?',
    );
    const readingsLost = committed.filter(([id, at]) => has.pluck().get(id, at) !== 1).length;
    const readings = db.prepare('SELECT count(*) FROM raw').pluck().get() as number;
    db.close();
    expect(committed.length).toBeGreaterThan(KILLS);
    expect(readingsLost).toBe(0);
    process.stdout.write(
      `chaos: ${KILLS} kills, ${finished} profiles finished on schedule, trip kept through ${trippedLives} lives, ` +
        `${acked.length} changes acknowledged, 0 lost, ${coolStarts} compressor starts within limits, ` +
        `${new Set(committed.map(([id, at]) => `${id}@${at}`)).size} acknowledged readings checked of ${readings} in history, 0 lost\n`,
    );
  }, 240_000);
});
