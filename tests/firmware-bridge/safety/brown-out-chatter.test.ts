// Board resets that may be brown-outs, each right after an output switched on, latch a trip once they
// repeat (the relay chatters under load until its contacts weld); one alone, a late one, or one with another
// cause does not. The latch survives a restart like every other.
import { describe, expect, it } from 'vitest';
import { SafetyGuard } from '../../../firmware-bridge/safety/guard.js';
import {
  BROWN_OUT_AFTER_SWITCH_MS,
  BROWN_OUT_WINDOW_MS,
} from '../../../firmware-bridge/safety/rules/brown-out-chatter.js';
import { OFF, RecordingPort, Rig, UNTIMED } from './rig.js';

const HEAT = { heat: true, cool: false };
const CODE = 'COBREW_ERR_BROWN_OUT_CHATTER';

/** The heater switches on, and the board resets `afterMs` later with `cause`. */
function switchOnThenReset(r: Rig, cause: string | undefined, afterMs = 300): void {
  r.run(2, OFF);
  r.tick(HEAT);
  expect(r.applied.heat).toBe(true);
  r.clock.advance(afterMs);
  r.guard.boardReset('the board reset', cause);
}

describe('brown-out resets right after a relay switches on', () => {
  it('latch a trip at the second, naming the output, and keep everything off', () => {
    const r = new Rig({ safety: UNTIMED });
    switchOnThenReset(r, 'brown-out');
    expect(r.tripped()).toBe(false);
    expect(r.port.last).toEqual(OFF);
    r.run(60, OFF);
    switchOnThenReset(r, 'brown-out', 800);
    expect(r.tripped()).toBe(true);
    const trip = r.incidents.find((i) => i.code === CODE);
    expect(trip).toMatchObject({ severity: 'trip' });
    expect(trip?.message).toContain('reset 2 times, each right after the heater switched on');
    expect(trip?.context.detail).toMatchObject({ output: 'heat', resets: [{ cause: 'brown-out' }, {}] });
    r.run(30, HEAT);
    expect(r.applied).toEqual(OFF);
    expect(r.guard.clear('brewer')).toEqual([CODE]);
  });

  it('count a reset whose cause was lost with its HELLO', () => {
    const r = new Rig({ safety: UNTIMED });
    switchOnThenReset(r, 'unknown');
    r.run(10, OFF);
    switchOnThenReset(r, undefined);
    expect(r.guard.status().trips).toEqual([CODE]);
  });

  it('ignore watchdog resets, resets long after the switch-on, and resets outside the window', () => {
    const r = new Rig({ safety: UNTIMED });
    switchOnThenReset(r, 'watchdog');
    r.run(5, OFF);
    switchOnThenReset(r, 'watchdog');
    switchOnThenReset(r, 'brown-out', BROWN_OUT_AFTER_SWITCH_MS + 1000);
    switchOnThenReset(r, 'brown-out');
    r.clock.advance(BROWN_OUT_WINDOW_MS + 1000);
    switchOnThenReset(r, 'brown-out');
    expect(r.tripped()).toBe(false);
    expect(r.codes('trip')).toEqual([]);
  });

  it('stays latched across a restart', () => {
    const r = new Rig({ safety: UNTIMED });
    switchOnThenReset(r, 'brown-out');
    switchOnThenReset(r, 'brown-out');
    const port = new RecordingPort();
    const again = new SafetyGuard({
      fermenterId: 'f1',
      safety: r.safety,
      heaterMount: 'chamber',
      port,
      clock: r.clock,
      settings: () => ({}),
      memory: r.guard.memory(),
    });
    expect(again.status().trips).toEqual([CODE]);
    r.clock.advance(1000);
    expect(again.apply(HEAT)).toEqual(OFF);
  });
});
