// The fermenter's command API on the real control path: SimBoard → guard → controller → guard, on a
// ManualClock. A command shows in the next tick's state; a refused one changes nothing.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { createFleet } from '../../firmware-bridge/fleet.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { ControlMode, FermenterState } from '../../firmware-bridge/types.js';

function rig(control: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const config = checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 18 },
    control,
  });
  const board = new SimBoard(config.board, clock);
  const fermenter = new Fermenter(config, board, clock);
  const tick = (seconds = 1): FermenterState => {
    let state: FermenterState | undefined;
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      state = fermenter.tick();
    }
    return state as FermenterState;
  };
  tick(5);
  return { clock, board, fermenter, tick };
}

/** The error a refused command throws. */
function refusal(command: () => unknown): Error & { code: string } {
  try {
    command();
  } catch (err) {
    return err as Error & { code: string };
  }
  throw new Error('expected the command to be refused');
}

const RAMP = [{ type: 'ramp' as const, targetC: 22, durationH: 4 }];

describe('fermenter commands', () => {
  it('changes the beer setpoint, and refuses one outside the limits of control.beerSetpointC', () => {
    const { fermenter, tick } = rig();
    fermenter.setBeerSetpoint(18.5);
    expect(tick().beerSetpointC).toBe(18.5);

    const err = refusal(() => fermenter.setBeerSetpoint(41));
    expect(err.code).toBe('COBREW_ERR_INVALID');
    expect(err.message).toContain('beerSetpointC: 41 is not allowed; it must be <= 40');
    expect(refusal(() => fermenter.setBeerSetpoint(-6)).message).toContain('it must be >= -5');
    expect(refusal(() => fermenter.setBeerSetpoint('19' as unknown as number)).message).toContain(
      'beerSetpointC: "19" is not allowed; it must be number',
    );
    expect(tick().beerSetpointC).toBe(18.5);
  });

  it('switches modes; chamber mode steers to the chamber setpoint; off switches everything off', () => {
    const { fermenter, tick } = rig();
    fermenter.setChamberSetpoint(12);
    expect(tick().chamberSetpointC).not.toBe(12);
    fermenter.setMode('chamber');
    const chamber = tick();
    expect(chamber).toMatchObject({ mode: 'chamber', chamberSetpointC: 12, beerSetpointC: null });

    expect(refusal(() => fermenter.setChamberSetpoint(40.5)).message).toContain(
      'chamberSetpointC: 40.5 is not allowed; it must be <= 40',
    );
    const err = refusal(() => fermenter.setMode('warp' as ControlMode));
    expect(err.code).toBe('COBREW_ERR_INVALID');
    expect(err.message).toContain(
      'mode: "warp" is not allowed; use one of "off", "beer", "chamber", "profile"',
    );
    expect(tick()).toMatchObject({ mode: 'chamber', chamberSetpointC: 12 });

    fermenter.setMode('off');
    expect(tick(30)).toMatchObject({
      mode: 'off',
      outputs: { heat: false, cool: false },
      controllerState: 'off',
    });
  });

  it('starts a profile with given steps, follows it, and stops holding the beer where it had got to', () => {
    const { fermenter, tick } = rig();
    fermenter.startProfile(RAMP);
    const start = tick();
    expect(start.mode).toBe('profile');
    const later = tick(3600);
    expect(later.beerSetpointC).toBeGreaterThan((start.beerSetpointC as number) + 0.5);

    fermenter.stopProfile();
    expect(tick()).toMatchObject({ mode: 'beer', beerSetpointC: later.beerSetpointC });
    // Stopping again is harmless.
    fermenter.stopProfile();
    expect(tick().mode).toBe('beer');
  });

  it('takes gravity conditions with commanded steps: a step ends when the gravity reaches its value', () => {
    const { clock, fermenter, tick } = rig();
    fermenter.startProfile([
      { type: 'hold', targetC: 18, durationH: 240, until: { minH: 0, gravityAtMost: 1.02, stablePoints: 1 } },
      { type: 'hold', targetC: 21, durationH: 48 },
    ]);
    // An iSpindel every 15 minutes; the runner filters gravity, so one low reading is not enough.
    const readings = (gravity: number, hours: number) => {
      let state = tick();
      for (let i = 0; i < hours * 4; i++) {
        fermenter.reportHydrometer({ gravity, at: clock.now() });
        state = tick(900);
      }
      return state;
    };
    expect(readings(1.03, 6).beerSetpointC).toBe(18);
    expect(readings(1.018, 6).beerSetpointC).toBe(21);

    const bad = refusal(() =>
      fermenter.startProfile([
        { type: 'hold', targetC: 18, durationH: 1, until: { minH: 0, gravityAtMost: 2, stablePoints: 1 } },
      ]),
    );
    expect(bad.message).toContain('steps[0].until.gravityAtMost: 2 is not allowed; it must be <= 1.2');
  });

  it('refuses bad steps, and a start without steps when none are configured, changing nothing', () => {
    const { fermenter, tick } = rig();
    const bad = refusal(() => fermenter.startProfile([{ type: 'hold', targetC: 60, durationH: 1 }]));
    expect(bad.code).toBe('COBREW_ERR_INVALID');
    expect(bad.message).toContain('steps[0].targetC: 60 is not allowed; it must be <= 40');
    expect(refusal(() => fermenter.startProfile([])).message).toContain('steps: [] is not allowed');

    const none = refusal(() => fermenter.startProfile());
    expect(none.code).toBe('COBREW_ERR_NO_PROFILE');
    expect(none.message).toMatch(
      /Fermenter ale has no profile steps to run; .*control\.profile in cobrew\.yaml/,
    );
    expect(refusal(() => fermenter.setMode('profile')).code).toBe('COBREW_ERR_NO_PROFILE');
    expect(tick()).toMatchObject({ mode: 'beer', beerSetpointC: 18 });
  });

  it('runs the configured profile on setMode, and does not restart one already running', () => {
    const { fermenter, tick } = rig({ profile: RAMP });
    fermenter.setMode('profile');
    const first = tick(1800);
    fermenter.setMode('profile');
    const second = tick(1800);
    expect(second.beerSetpointC).toBeGreaterThan(first.beerSetpointC as number);
    // A new start goes back to the beginning of the ramp, which starts from the beer as it is now.
    fermenter.startProfile();
    const restarted = tick();
    expect(restarted.beerSetpointC).toBeLessThan(second.beerSetpointC as number);
    expect(restarted.beerSetpointC).toBeCloseTo(restarted.beerC as number, 2);
  });

  it('clears a trip only once its condition is gone, naming the condition until then', () => {
    const { board, fermenter, tick } = rig();
    board.inject({ kind: 'sensor-unplugged', probe: 'chamber' });
    expect(tick(10).safety).toMatchObject({ status: 'tripped', trips: ['COBREW_ERR_SENSOR_DISCONNECTED'] });

    const err = refusal(() => fermenter.clearTrip('alice')) as Error & { code: string; conditions: string[] };
    expect(err.code).toBe('COBREW_ERR_TRIP_PERSISTS');
    expect(err.conditions).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    expect(err.message).toMatch(/chamber probe still reads −127 °C/);
    expect(tick().safety.status).toBe('tripped');

    board.clear('sensor-unplugged');
    tick(10);
    expect(fermenter.clearTrip('alice')).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    expect(tick().safety).toEqual({ status: 'ok', trips: [], alarms: [] });
    expect(fermenter.guard.incidents()[0]?.context.detail).toMatchObject({ clearedBy: 'alice' });
  });

  it('refuses every command once the fermenter is stopped', () => {
    const { fermenter } = rig();
    fermenter.safeStop('shutdown');
    const err = refusal(() => fermenter.setBeerSetpoint(19));
    expect(err.code).toBe('COBREW_ERR_FERMENTER_STOPPED');
    expect(err.message).toBe(
      'Fermenter ale is stopped (shutdown) and takes no more commands; restart cobrew to run it again',
    );
    expect(refusal(() => fermenter.clearTrip('alice')).code).toBe('COBREW_ERR_FERMENTER_STOPPED');
  });

  it('takes commands through the fleet handle, on simulated time', async () => {
    const clock = new ManualClock();
    const config = checkFermenterConfig({ id: 'ale', name: 'Ale', board: { type: 'sim' } });
    const fleet = createFleet({ fermenters: [config], clock });
    const [handle] = fleet.fermenters;
    if (handle === undefined) throw new Error('no fermenter');
    expect(handle.boardKind).toBe('sim');
    fleet.start();
    try {
      handle.setBeerSetpoint(19.25);
      const next = new Promise<FermenterState>((resolve) => handle.on('state', resolve));
      clock.advance(1000);
      expect((await next).beerSetpointC).toBe(19.25);
    } finally {
      await fleet.stop();
    }
    expect(refusal(() => handle.setMode('off')).code).toBe('COBREW_ERR_FERMENTER_STOPPED');
  });
});
