// A fermenter's intent, profile progress, latched trips and output times survive a restart: each "restart"
// here builds a new fermenter on a new simulated board from a second connection to the same control.db,
// with the first one never closed, as after a SIGKILL or a power cut.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import type { ControlStateStore } from '../../../firmware-bridge/state/control-state.js';
import { openControlState } from '../../../firmware-bridge/state/sqlite-store.js';
import type { FermenterState, Incident } from '../../../firmware-bridge/types.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);
let dirs: string[] = [];
let stores: ControlStateStore[] = [];

afterEach(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  stores = [];
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cobrew-state-'));
  dirs.push(d);
  return d;
}

/** One run of cobrew: a fermenter on its own store connection, from `at` on. */
function run(dir: string, at: number, control: Record<string, unknown> = {}, safety = {}) {
  const clock = new ManualClock(at);
  // The store keeps the last readings once a minute of simulated time here.
  const store = openControlState(dir, { now: () => clock.now(), seenEveryMs: 60_000 });
  stores.push(store);
  const config = checkFermenterConfig({
    id: 'lager',
    name: 'Lager',
    board: { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 12 },
    control,
    safety,
  });
  const board = new SimBoard(config.board, clock);
  const fermenter = new Fermenter(config, board, clock, { memory: store.forFermenter('lager') });
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => incidents.push(i));
  const tick = (seconds = 1): FermenterState => {
    let state = fermenter.latest();
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      state = fermenter.tick();
    }
    return state as FermenterState;
  };
  return { store, clock, board, fermenter, incidents, tick };
}

const PROFILE = [
  { type: 'hold', targetC: 10, durationH: 2 },
  { type: 'ramp', targetC: 4, durationH: 2 },
  { type: 'hold', targetC: 2, durationH: 10 },
] as const;

describe('durable control state', () => {
  it('keeps a change made by a command, with who made it, and resumes it instead of cobrew.yaml', () => {
    const dir = dataDir();
    const a = run(dir, T0);
    a.tick(3);
    expect(a.fermenter.resumed).toEqual({ from: 'config', reason: 'no stored intent yet' });
    a.fermenter.setBeerSetpoint(14.5, 'mqtt set command');
    a.fermenter.setMode('beer', 'mqtt set command');
    // Killed here: the store was never closed.
    const b = run(dir, T0 + 60_000);
    expect(b.fermenter.resumed.from).toBe('stored');
    expect(b.fermenter.resumed.reason).toContain('mqtt set command');
    expect(b.tick().beerSetpointC).toBe(14.5);
    expect(b.fermenter.intent()).toMatchObject({ beerSetpointC: 14.5, changedBy: 'mqtt set command' });
  });

  it('follows a changed cobrew.yaml when nobody changed the intent, and keeps a person’s change when it did', () => {
    const dir = dataDir();
    run(dir, T0, { beerSetpointC: 18 }).tick();
    const edited = run(dir, T0 + H, { beerSetpointC: 19 });
    expect(edited.fermenter.resumed).toMatchObject({ from: 'config' });
    expect(edited.fermenter.resumed.reason).toContain("cobrew.yaml's control section changed");
    expect(edited.tick().beerSetpointC).toBe(19);
    edited.fermenter.setBeerSetpoint(16, 'someone');
    const again = run(dir, T0 + 2 * H, { beerSetpointC: 21 });
    expect(again.fermenter.resumed.from).toBe('stored');
    expect(again.tick().beerSetpointC).toBe(16);
  });

  it('resumes a profile on the wall clock, as if it had run through the outage, and records the outage', () => {
    const dir = dataDir();
    const a = run(dir, T0, { mode: 'profile', profile: PROFILE });
    const before = a.tick(1800);
    expect(before.profileStep).toBe(0);
    // Down from 30 min to 3 h into the profile: the first hold ended during the outage, the ramp is half done.
    const downAt = before.at;
    const b = run(dir, T0 + 3 * H, { mode: 'profile', profile: PROFILE });
    const after = b.tick();
    expect(after.profileStep).toBe(1);
    expect(after.beerSetpointC).toBeCloseTo(10 - 6 * ((after.at - (T0 + 2 * H - 0)) / (2 * H)), 1);
    const outage = b.incidents.find((i) => i.code === 'COBREW_ERR_OUTAGE');
    expect(outage?.severity).toBe('alarm');
    expect(outage?.context.detail).toMatchObject({
      from: expect.any(Number),
      to: after.at,
      before: { beerC: expect.any(Number), chamberC: expect.any(Number) },
      after: { beerC: after.beerC, chamberC: after.chamberC },
    });
    expect(outage?.context.detail?.from as number).toBeGreaterThanOrEqual(downAt - 60_000);
    expect(outage?.message).toMatch(/not controlling this fermenter .* Beer .* before, .* after/);
    // 14 h after the start the profile has finished, restart or not.
    const c = run(dir, T0 + 14 * H + 1000, { mode: 'profile', profile: PROFILE });
    expect(c.tick().profileStep).toBeNull();
    expect(c.fermenter.latest()?.beerSetpointC).toBe(2);
  });

  it('keeps a latched trip latched across a restart, outputs off, until a person clears it', () => {
    const dir = dataDir();
    const a = run(dir, T0, { mode: 'chamber', chamberSetpointC: 30 });
    a.tick(10);
    a.board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    a.tick(10);
    expect(a.fermenter.guard.status().trips).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    const tripId = a.incidents.find((i) => i.severity === 'trip')?.id as number;
    // The probe is fine again after the restart; the trip is not forgotten for that.
    const b = run(dir, T0 + 60_000, { mode: 'chamber', chamberSetpointC: 30 });
    const s = b.tick(600);
    expect(s.safety).toMatchObject({ status: 'tripped', trips: ['COBREW_ERR_SENSOR_DISCONNECTED'] });
    expect(s.outputs).toEqual({ heat: false, cool: false });
    expect(b.fermenter.guard.incidents().map((i) => i.id)).toContain(tripId);
    // Incident ids carry on from before the restart.
    expect(b.incidents.every((i) => i.id > tripId)).toBe(true);
    expect(b.fermenter.clearTrip('brewer')).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    expect(b.tick(120).outputs.heat).toBe(true);
    // Cleared is stored too.
    const c = run(dir, T0 + 2 * H, { mode: 'chamber', chamberSetpointC: 30 });
    expect(c.tick().safety.status).not.toBe('tripped');
  });

  it('holds the compressor’s minimum off time across a quick restart', () => {
    const dir = dataDir();
    const control = { mode: 'chamber', chamberSetpointC: 2 };
    const a = run(dir, T0, control);
    let s = a.tick(400);
    expect(s.outputs.cool).toBe(true);
    // Killed with the compressor running, back two seconds later, still asked to cool.
    const b = run(dir, s.at + 2000, control);
    const starts: number[] = [];
    for (let i = 0; i < 400; i++) {
      s = b.tick();
      if (s.outputs.cool && starts.length === 0) starts.push(s.at);
    }
    const minOffMs = 300_000;
    expect(starts[0]).toBeGreaterThanOrEqual(b.clock.now() - 400_000 + minOffMs - 1000);
    expect(b.fermenter.guard.memory().outputs.cool.ran).toBe(true);
  });

  it('refuses nothing when nothing is stored yet, and resets an intent to cobrew.yaml on request', () => {
    const dir = dataDir();
    const a = run(dir, T0);
    a.fermenter.setBeerSetpoint(12, 'someone');
    expect(a.store.fermenters()).toEqual(['lager']);
    expect(a.store.resetIntent('lager')).toBe(true);
    expect(a.store.resetIntent('lager')).toBe(false);
    const b = run(dir, T0 + H);
    expect(b.fermenter.resumed.from).toBe('config');
    expect(b.tick().beerSetpointC).toBe(18);
  });
});
