import { describe, expect, it } from 'vitest';
import { COOL, clearError, HEAT, OFF, Rig, UNTIMED } from './rig.js';

/** A rig cooling at steady state, chamber well away from the beer, with no timing constraints. */
function cooling(): Rig {
  const rig = new Rig({ safety: UNTIMED });
  rig.chamber = 12;
  rig.run(5, COOL);
  return rig;
}

describe('sensor error values', () => {
  it.each([
    [
      'COBREW_ERR_SENSOR_DISCONNECTED',
      -127,
      /chamber probe reads −127 °C: it is unplugged or its wire is broken/,
    ],
    ['COBREW_ERR_SENSOR_POWER_ON', 85, /exactly 85 °C, the value a DS18B20 reports after losing power/],
  ])('%s: distrusted at once, trips on the third sample, outputs off on that tick', (code, value, text) => {
    const rig = cooling();
    rig.chamber = value;
    rig.tick(COOL);
    expect(rig.readings?.chamber).toBeNull();
    expect(rig.readings?.beer).toBe(18);
    expect(rig.applied).toEqual(COOL);
    rig.tick(COOL);
    expect(rig.tripped()).toBe(false);
    rig.clock.advance(1000);
    rig.readings = rig.guard.check(rig.frame());
    // Switched off inside check(), before any controller could run.
    expect(rig.port.last).toEqual(OFF);
    expect(rig.guard.apply(COOL)).toEqual(OFF);
    expect(rig.guard.status()).toEqual({ status: 'tripped', trips: [code], alarms: [] });
    const incident = rig.incidents.at(-1);
    expect(incident).toMatchObject({ code, severity: 'trip', fermenterId: 'f1' });
    expect(incident?.message).toMatch(text);
    expect(incident?.message).toMatch(/Every output is off until a person clears the trip/);
    expect(incident?.context.outputs).toEqual(COOL);
  });

  it('a single glitch distrusts one sample but does not trip', () => {
    const rig = cooling();
    for (let i = 0; i < 20; i++) {
      rig.chamber = -127;
      rig.tick(COOL);
      expect(rig.readings?.chamber).toBeNull();
      rig.chamber = 12;
      rig.tick(COOL);
      rig.tick(COOL);
      expect(rig.readings?.chamber).toBe(12);
    }
    expect(rig.incidents).toEqual([]);
    expect(rig.applied).toEqual(COOL);
  });

  it('a probe that is bad more often than good trips', () => {
    const rig = cooling();
    rig.run(12, COOL, (t) => {
      rig.chamber = t % 3 === 0 ? 12 : -127;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
  });

  it('stays latched while the readings recover, and a clear is refused while the fault persists', () => {
    const rig = cooling();
    rig.chamber = -127;
    rig.run(3, COOL);
    const err = clearError(rig);
    expect(err.code).toBe('COBREW_ERR_TRIP_PERSISTS');
    expect(err.conditions).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    expect(err.message).toMatch(/chamber probe still reads −127 °C/);
    rig.chamber = 12;
    rig.run(600, COOL);
    expect(rig.applied).toEqual(OFF);
    expect(rig.tripped()).toBe(true);
    expect(rig.guard.clear('alice')).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    expect(rig.incidents[0]?.context.detail).toMatchObject({ clearedBy: 'alice' });
    expect(rig.tick(COOL)).toEqual(COOL);
  });
});

describe('range', () => {
  it('trips a beer reading outside the configured range', () => {
    const rig = new Rig({ safety: { ...UNTIMED, beer: { minC: -5, maxC: 30 } } });
    rig.run(3, HEAT, () => {
      rig.beer = 29.9;
    });
    expect(rig.incidents).toEqual([]);
    rig.beer = 30.2;
    rig.run(3, HEAT);
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_RANGE']);
    expect(rig.incidents[0]?.message).toMatch(
      /beer probe reads 30.2 °C, outside the plausible −5 °C to 30 °C/,
    );
    expect(rig.applied).toEqual(OFF);
  });

  it('reads a room probe fault as an alarm only: outputs keep running', () => {
    const rig = cooling();
    rig.ambient = -127;
    rig.run(60, COOL);
    expect(rig.applied).toEqual(COOL);
    expect(rig.readings?.ambient).toBeNull();
    expect(rig.guard.status()).toEqual({
      status: 'alarm',
      trips: [],
      alarms: ['COBREW_ERR_SENSOR_DISCONNECTED'],
    });
    expect(rig.incidents).toHaveLength(1);
    expect(rig.incidents[0]).toMatchObject({ severity: 'alarm' });
    expect(rig.incidents[0]?.message).toMatch(/room probe reads −127 °C.*Control carries on without it/);
    rig.ambient = 20;
    rig.run(3, COOL);
    expect(rig.guard.status().status).toBe('ok');
  });
});

describe('rate of change', () => {
  it('never trips on one-LSB noise, however long', () => {
    const rig = new Rig({ safety: UNTIMED });
    let seed = 3;
    rig.run(24 * 3600, OFF, () => {
      seed = (seed * 16807) % 2147483647;
      rig.beer = 18 + (seed % 3) * 0.0625;
      rig.chamber = 17.5 + ((seed >> 3) % 3) * 0.0625;
    });
    expect(rig.incidents).toEqual([]);
  });

  it('never trips on a door opening that moves the chamber 3 °C per minute with noise', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 4;
    rig.run(300, OFF, (t) => {
      const air = t < 120 ? 4 + (3 * t) / 60 : 10 - (2 * (t - 120)) / 60;
      rig.chamber = Math.floor((Math.max(air, 4) + (t % 2 ? 0.0625 : -0.0625)) * 16) / 16;
    });
    expect(rig.incidents).toEqual([]);
  });

  it('distrusts a one-sample spike without tripping', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(10);
    rig.beer = 25;
    rig.tick();
    expect(rig.readings?.beer).toBeNull();
    rig.beer = 18;
    rig.tick();
    rig.tick();
    expect(rig.readings?.beer).toBe(18);
    expect(rig.incidents).toEqual([]);
  });

  it('trips a step bigger than the rate allows plus the noise margin', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(10);
    rig.beer = 19;
    rig.run(3);
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_JUMP']);
    expect(rig.incidents[0]?.message).toMatch(/beer probe jumped from 18 °C to 19 °C/);
  });

  it('accepts a step just inside rate plus margin (0.0833 °C/s + 0.5 °C)', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(10);
    rig.beer = 18.5;
    rig.run(3);
    expect(rig.incidents).toEqual([]);
    expect(rig.readings?.beer).toBe(18.5);
  });
});
