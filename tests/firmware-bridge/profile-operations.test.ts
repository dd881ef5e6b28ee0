// A person's operations on a running profile, on the real control path (SimBoard → guard → controller) on
// a ManualClock, with the control state in a real control.db: each shows in the state's progress view, is
// stored with who asked, and survives a restart (a held step stays held, an extension stays).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { ControlStateStore } from '../../firmware-bridge/state/control-state.js';
import { openControlState } from '../../firmware-bridge/state/sqlite-store.js';
import type { FermenterState } from '../../firmware-bridge/types.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);
const PROFILE = [
  { type: 'hold' as const, targetC: 12, durationH: 48 },
  { type: 'ramp' as const, targetC: 18, durationH: 24 },
  { type: 'hold' as const, targetC: 18, durationH: 24 },
  { type: 'hold' as const, targetC: 2, durationH: 12 },
];

let dirs: string[] = [];
let stores: ControlStateStore[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  stores = [];
});

/** One run of cobrew on `dir`'s control.db from `at` on; the store of a previous run is left open (a crash). */
function run(dir: string, at: number, control: Record<string, unknown> = {}) {
  const clock = new ManualClock(at);
  // The last readings are kept once a simulated hour: only the intent's writes matter here.
  const store = openControlState(dir, { now: () => clock.now(), seenEveryMs: H });
  stores.push(store);
  const config = checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 14 },
    control,
  });
  const fermenter = new Fermenter(config, new SimBoard(config.board, clock), clock, {
    memory: store.forFermenter('ale'),
  });
  /** `count` ticks `stepS` seconds apart. */
  const tick = (count = 1, stepS = 1): FermenterState => {
    let state = fermenter.latest();
    for (let i = 0; i < count; i++) {
      clock.advance(stepS * 1000);
      state = fermenter.tick();
    }
    return state as FermenterState;
  };
  return { clock, fermenter, tick };
}

function newDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cobrew-profile-ops-'));
  dirs.push(d);
  return d;
}

function refusal(command: () => unknown): Error & { code: string } {
  try {
    command();
  } catch (err) {
    return err as Error & { code: string };
  }
  throw new Error('expected the command to be refused');
}

describe('operations on the running profile of a fermenter', () => {
  it('shows progress and time left in the state', () => {
    const a = run(newDir(), T0, { mode: 'profile', profile: PROFILE });
    const s = a.tick(60, 60);
    expect(s.profileStep).toBe(0);
    expect(s.profile).toMatchObject({
      step: 0,
      steps: 4,
      held: false,
      current: PROFILE[0],
      next: PROFILE.slice(1),
    });
    const p = s.profile as NonNullable<FermenterState['profile']>;
    expect(p.stepElapsedS + p.stepRemainingS).toBeCloseTo(48 * 3600, 6);
    expect(p.remainingS).toBeCloseTo(p.stepRemainingS + 60 * 3600, 6);
    expect(p.endsAt).toBeCloseTo(s.at + p.remainingS * 1000, 0);
  });

  it('starts at a given step, refusing one the profile does not have', () => {
    const a = run(newDir(), T0, { mode: 'beer', profile: PROFILE });
    a.tick(5);
    expect(refusal(() => a.fermenter.startProfile(undefined, 'bea', 4)).code).toBe('COBREW_ERR_NO_SUCH_STEP');
    expect(refusal(() => a.fermenter.startProfile(undefined, 'bea', -1)).code).toBe('COBREW_ERR_INVALID');
    a.fermenter.startProfile(undefined, 'bea', 2);
    expect(a.tick(2)).toMatchObject({ mode: 'profile', profileStep: 2, beerSetpointC: 18 });
    expect(a.fermenter.intent()).toMatchObject({ changedBy: 'bea', profileStartStep: 2 });
  });

  it('skips, holds, extends and edits what is next, each kept with who asked, through a restart', () => {
    const dir = newDir();
    const a = run(dir, T0, { mode: 'profile', profile: PROFILE });
    a.tick(60);
    a.fermenter.skipStep('bea');
    let s = a.tick(60, 60);
    expect(s.profileStep).toBe(1);
    expect(a.fermenter.intent().changedBy).toBe('bea');
    a.fermenter.extendStep(6, 'bea');
    s = a.tick();
    expect(s.profile?.current.durationH).toBe(30);
    a.fermenter.holdStep('cleo');
    const heldTarget = a.tick().beerSetpointC;
    s = a.tick(30, 60);
    expect(s.profile).toMatchObject({ held: true, step: 1 });
    expect(s.beerSetpointC).toBe(heldTarget);
    a.fermenter.replaceNextSteps([{ type: 'hold', targetC: 1, durationH: 48 }], 'cleo');
    expect(a.tick().profile).toMatchObject({ steps: 3, next: [{ type: 'hold', targetC: 1, durationH: 48 }] });
    const remaining = a.tick().profile?.stepRemainingS as number;

    // A crash and a restart 10 h later: still held, still extended, the edited steps still next.
    const b = run(dir, a.clock.now() + 10 * H, { mode: 'profile', profile: PROFILE });
    s = b.tick();
    expect(s.profile).toMatchObject({ held: true, step: 1, steps: 3, current: { durationH: 30 } });
    expect(s.profile?.stepRemainingS).toBeCloseTo(remaining, 6);
    expect(s.beerSetpointC).toBeCloseTo(heldTarget as number, 6);
    b.fermenter.resumeStep('cleo');
    s = b.tick(60, 60);
    expect(s.profile?.held).toBe(false);
    expect(s.profile?.stepRemainingS).toBeCloseTo(remaining - 3600, 0);
    expect(s.beerSetpointC as number).toBeGreaterThan(heldTarget as number);
    expect(b.fermenter.intent().changedBy).toBe('cleo');
  });

  it('refuses operations when no profile step runs, changing nothing', () => {
    const a = run(newDir(), T0, { mode: 'beer', profile: PROFILE });
    a.tick(5);
    const before = a.fermenter.intent();
    for (const op of [
      () => a.fermenter.skipStep('bea'),
      () => a.fermenter.holdStep('bea'),
      () => a.fermenter.extendStep(2, 'bea'),
      () => a.fermenter.replaceNextSteps([], 'bea'),
    ]) {
      const err = refusal(op);
      expect(err.code).toBe('COBREW_ERR_PROFILE_NOT_RUNNING');
      expect(err.message).toContain('beer mode');
    }
    expect(a.fermenter.intent()).toEqual(before);
    a.fermenter.startProfile(undefined, 'bea', 3);
    a.tick(13 * 60, 60);
    expect(refusal(() => a.fermenter.skipStep('bea')).message).toContain('finished');
    expect(refusal(() => a.fermenter.extendStep(0, 'bea')).code).toBe('COBREW_ERR_INVALID');
  });

  it('refuses an edit that would make the profile longer than a profile may be', () => {
    const a = run(newDir(), T0, { mode: 'profile', profile: PROFILE });
    a.tick(5);
    const many = Array.from({ length: 99 }, () => ({ type: 'hold' as const, targetC: 10, durationH: 1 }));
    a.fermenter.replaceNextSteps(many, 'bea');
    expect(a.tick().profile?.steps).toBe(100);
    a.fermenter.skipStep('bea');
    a.tick();
    expect(refusal(() => a.fermenter.replaceNextSteps(many, 'bea')).code).toBe('COBREW_ERR_INVALID');
  });
});
