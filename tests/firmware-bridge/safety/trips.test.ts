import { describe, expect, it } from 'vitest';
import { COOL, clearError, HEAT, OFF, Rig, UNTIMED } from './rig.js';

const q = (v: number) => Math.floor(v * 16) / 16;

/** Move the chamber reading in a straight line over `seconds`, at a believable rate. */
function ramp(rig: Rig, toC: number, seconds: number, request = OFF): void {
  const from = rig.chamber ?? 18;
  rig.run(seconds, request, (t) => {
    rig.chamber = q(from + ((toC - from) * t) / seconds);
  });
}

describe('over-temperature cut-off', () => {
  it('trips on the first reading above overTempC, outputs off on that tick', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = 25;
    ramp(rig, 40, 1200, HEAT);
    expect(rig.chamber).toBe(40);
    expect(rig.incidents).toEqual([]);
    expect(rig.applied).toEqual(HEAT);
    rig.chamber = 40.0625;
    rig.tick(HEAT);
    expect(rig.codes()).toEqual(['COBREW_ERR_OVER_TEMPERATURE']);
    expect(rig.applied).toEqual(OFF);
    expect(rig.incidents[0]?.message).toMatch(/The chamber reads 40.06 °C, above the 40 °C cut-off/);
  });

  it('refuses a clear while still above the cut-off, and accepts it once at or below', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 40.5;
    rig.tick();
    expect(clearError(rig).message).toMatch(/the chamber still reads 40.5 °C, above the 40 °C cut-off/);
    rig.run(60, OFF, (t) => {
      rig.chamber = Math.floor((40.5 - t / 60) * 16) / 16;
    });
    expect(rig.guard.clear('erin')).toEqual(['COBREW_ERR_OVER_TEMPERATURE']);
  });

  it('takes a one-sample spike past the cut-off for a glitch, not heat', () => {
    const rig = new Rig({ safety: UNTIMED });
    ramp(rig, 30, 600, HEAT);
    rig.chamber = 60;
    rig.tick(HEAT);
    expect(rig.readings?.chamber).toBeNull();
    rig.chamber = 30;
    rig.run(5, HEAT);
    expect(rig.incidents).toEqual([]);
    expect(rig.applied).toEqual(HEAT);
  });

  it('trips on the beer as well', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    rig.beer = 40.25;
    rig.tick(HEAT);
    expect(rig.guard.status().trips).toEqual(['COBREW_ERR_OVER_TEMPERATURE']);
  });
});

describe('latching and recovery', () => {
  it('stays latched with sane readings when autoRecover is off (the default)', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = -127;
    rig.run(3);
    rig.beer = 18;
    rig.run(6 * 3600, COOL);
    expect(rig.applied).toEqual(OFF);
    expect(rig.guard.status().trips).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
  });

  it('clears a sensor trip by itself after afterS of sane readings, not before, when enabled', () => {
    const rig = new Rig({ safety: { ...UNTIMED, autoRecover: { enabled: true, afterS: 300 } } });
    rig.beer = -127;
    rig.run(3);
    expect(rig.incidents[0]?.message).toMatch(
      /until its readings have been sane for 5 min, or a person clears/,
    );
    rig.beer = 18;
    // Sane from the next sample on: the clear comes 300 s after it, on that tick's check.
    rig.run(300, COOL);
    expect(rig.tripped()).toBe(true);
    rig.tick(COOL);
    expect(rig.tripped()).toBe(false);
    expect(rig.applied).toEqual(COOL);
    expect(rig.incidents[0]?.context.detail).toMatchObject({ clearedBy: 'auto-recover' });
  });

  it('restarts the sane time at every bad sample', () => {
    const rig = new Rig({ safety: { ...UNTIMED, autoRecover: { enabled: true, afterS: 300 } } });
    rig.beer = -127;
    rig.run(3);
    rig.run(1200, OFF, (t) => {
      rig.beer = t % 250 === 0 ? -127 : 18;
    });
    expect(rig.tripped()).toBe(true);
  });

  it('never clears other trips by itself', () => {
    const rig = new Rig({ safety: { ...UNTIMED, autoRecover: { enabled: true, afterS: 60 } } });
    rig.chamber = 40.5;
    rig.tick();
    rig.chamber = 18;
    rig.run(3600);
    expect(rig.guard.status().trips).toEqual(['COBREW_ERR_OVER_TEMPERATURE']);
  });

  it('returns every output off while tripped, whatever is requested', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 40.5;
    rig.tick();
    rig.chamber = 18;
    for (const request of [HEAT, COOL, { heat: true, cool: true }, OFF]) {
      expect(rig.tick(request)).toEqual(OFF);
      expect(rig.port.last).toEqual(OFF);
    }
  });

  it('clears every latched trip at once and returns their codes; nothing is cleared while one persists', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = 85;
    rig.chamber = 40.5;
    rig.run(3);
    expect(rig.guard.status().trips).toEqual(['COBREW_ERR_OVER_TEMPERATURE', 'COBREW_ERR_SENSOR_POWER_ON']);
    ramp(rig, 30, 600);
    const err = clearError(rig);
    expect(err.conditions).toEqual(['COBREW_ERR_SENSOR_POWER_ON']);
    expect(rig.guard.status().trips).toHaveLength(2);
    rig.beer = 18;
    rig.tick();
    expect(rig.guard.clear('frank')).toEqual(['COBREW_ERR_OVER_TEMPERATURE', 'COBREW_ERR_SENSOR_POWER_ON']);
    expect(rig.guard.clear('frank')).toEqual([]);
  });
});

describe('incidents and status', () => {
  it('records context: the last 60 readings oldest first, outputs before the trip, settings', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 12;
    rig.run(100, COOL);
    rig.chamber = -127;
    rig.run(3, COOL);
    const { context, at, id } = rig.incidents[0] ?? expect.fail('no incident');
    expect(id).toBe(1);
    expect(at).toBe(rig.clock.now());
    expect(context.recent).toHaveLength(60);
    expect(context.recent.at(-1)).toEqual({ at: rig.clock.now(), beer: 18, chamber: -127, ambient: 20 });
    expect(context.recent[0]?.at).toBe(rig.clock.now() - 59_000);
    expect(context.outputs).toEqual(COOL);
    expect(context.settings).toEqual({ mode: 'beer', beerSetpointC: 18 });
    expect(context.detail).toMatchObject({ probe: 'chamber', value: -127 });
  });

  it('keeps the last 200 incidents with increasing ids', () => {
    const rig = new Rig({ safety: UNTIMED });
    for (let i = 0; i < 250; i++) rig.guard.forceSafe(`test ${i}`);
    const all = rig.guard.incidents();
    expect(all).toHaveLength(200);
    expect(all[0]?.id).toBe(51);
    expect(all.at(-1)?.id).toBe(250);
    expect(rig.incidents).toHaveLength(250);
  });

  it('emits status only when it changes', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(100);
    expect(rig.statuses).toEqual([]);
    rig.beer = -127;
    rig.run(100);
    expect(rig.statuses).toEqual([
      { status: 'tripped', trips: ['COBREW_ERR_SENSOR_DISCONNECTED'], alarms: [] },
    ]);
    rig.beer = 18;
    rig.tick();
    rig.guard.clear('gina');
    expect(rig.statuses.at(-1)).toEqual({ status: 'ok', trips: [], alarms: [] });
    expect(rig.statuses).toHaveLength(2);
  });
});
