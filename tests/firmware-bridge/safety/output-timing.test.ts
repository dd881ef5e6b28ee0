import { describe, expect, it } from 'vitest';
import { COOL, HEAT, OFF, Rig, UNTIMED } from './rig.js';

const TIMED = {
  heat: { minOnS: 60, minOffS: 60, maxOnS: 3600 },
  cool: { minOnS: 180, minOffS: 300, maxOnS: 2 * 3600 },
  interlockDeadS: 600,
};

/** A rig past its start-up rest, so every output may start. */
function settled(safety: Record<string, unknown> = TIMED): Rig {
  const rig = new Rig({ safety }).physics();
  rig.run(600);
  return rig;
}

describe('heat/cool interlock', () => {
  it('never writes heat and cool on together, whatever is requested', () => {
    const rig = settled();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let request = OFF;
    rig.run(48 * 3600, () => {
      if (random() < 0.01) request = { heat: random() < 0.5, cool: random() < 0.5 };
      return request;
    });
    expect(rig.everBoth()).toBe(false);
    expect(rig.port.writes.some((w) => w.heat)).toBe(true);
    expect(rig.port.writes.some((w) => w.cool)).toBe(true);
  });

  it('starts neither when both are requested from idle, and keeps the running one otherwise', () => {
    const rig = settled();
    expect(rig.tick({ heat: true, cool: true })).toEqual(OFF);
    rig.tick(HEAT);
    expect(rig.tick({ heat: true, cool: true })).toEqual(HEAT);
  });

  it('waits the dead time after one output stops before the other starts', () => {
    const rig = settled();
    rig.tick(COOL);
    rig.run(179, COOL);
    expect(rig.tick(OFF)).toEqual(OFF);
    const stoppedAt = rig.clock.now();
    const waited = rig.runUntil(2000, HEAT, () => rig.applied.heat);
    expect(rig.clock.now() - stoppedAt).toBe(600_000);
    expect(waited).toBe(600);
  });

  it('does not keep an output off for the dead time after a start-up, when nothing ran', () => {
    const rig = new Rig({ safety: TIMED });
    const started = rig.runUntil(1000, COOL, () => rig.applied.cool);
    expect(started).toBe(300);
  });
});

describe('minimum on and off times', () => {
  it('keeps an output on for its minimum on-time even when asked to stop', () => {
    const rig = settled();
    rig.tick(COOL);
    rig.run(179, OFF);
    expect(rig.applied).toEqual(COOL);
    expect(rig.tick(OFF)).toEqual(OFF);
  });

  it('keeps an output off for its minimum off-time even when asked to start', () => {
    const rig = settled();
    rig.tick(COOL);
    rig.run(180, OFF);
    expect(rig.applied).toEqual(OFF);
    const offAt = rig.clock.now();
    rig.runUntil(1000, COOL, () => rig.applied.cool);
    expect(rig.clock.now() - offAt).toBe(300_000);
  });

  it('holds the compressor off for its minimum off-time from start-up (a restart may follow a power blip)', () => {
    const rig = new Rig({ safety: TIMED });
    expect(rig.runUntil(1000, COOL, () => rig.applied.cool)).toBe(300);
    const heatRig = new Rig({ safety: TIMED });
    expect(heatRig.runUntil(1000, HEAT, () => heatRig.applied.heat)).toBe(60);
  });

  it('writes every output off as soon as it is created', () => {
    const rig = new Rig();
    expect(rig.port.writes).toEqual([OFF]);
  });

  it('writes the port on every apply, re-asserting the state', () => {
    const rig = settled();
    const before = rig.port.writes.length;
    rig.run(10, OFF);
    expect(rig.port.writes.length).toBe(before + 10);
  });

  it('reports the limits it enforces', () => {
    const rig = new Rig({ safety: TIMED });
    expect(rig.guard.timing()).toEqual({ ...TIMED, enabled: { heat: true, cool: true } });
  });
});

describe('maximum on-time', () => {
  it('switches an output off after its maximum run, rests it for min-off, then lets it run again', () => {
    const rig = settled();
    rig.tick(HEAT);
    const onAt = rig.clock.now();
    rig.runUntil(5000, HEAT, () => !rig.applied.heat);
    expect(rig.clock.now() - onAt).toBe(3600_000);
    const offAt = rig.clock.now();
    rig.runUntil(1000, HEAT, () => rig.applied.heat);
    expect(rig.clock.now() - offAt).toBe(60_000);
  });

  it('records one alarm per episode, not per cut, and is not a trip', () => {
    const rig = settled();
    rig.run(3 * 3600, HEAT);
    expect(rig.codes()).toEqual(['COBREW_ERR_MAX_ON_TIME']);
    expect(rig.incidents[0]?.severity).toBe('alarm');
    expect(rig.incidents[0]?.message).toMatch(/heater ran for 1 h without a break/);
    expect(rig.guard.status()).toEqual({ status: 'alarm', trips: [], alarms: ['COBREW_ERR_MAX_ON_TIME'] });
    rig.run(3, OFF);
    expect(rig.guard.status().status).toBe('ok');
    rig.run(2 * 3600, HEAT);
    expect(rig.codes()).toEqual(['COBREW_ERR_MAX_ON_TIME', 'COBREW_ERR_MAX_ON_TIME']);
  });

  it('does not count as a limit when the controller stops the output itself', () => {
    const rig = settled({ ...TIMED, heat: { minOnS: 7200, minOffS: 60, maxOnS: 3600 } });
    rig.tick(HEAT);
    rig.runUntil(5000, OFF, () => !rig.applied.heat);
    expect(rig.codes()).toEqual([]);
  });
});

describe('safety wins over timing', () => {
  it('a trip switches off inside min-on, and min-off still applies after the clear', () => {
    const rig = new Rig({ safety: TIMED });
    rig.chamber = 12;
    rig.run(600);
    rig.tick(COOL);
    rig.run(10, COOL);
    rig.chamber = -127;
    rig.run(2, COOL);
    expect(rig.applied).toEqual(COOL);
    rig.tick(COOL);
    expect(rig.applied).toEqual(OFF);
    expect(rig.port.last).toEqual(OFF);
    const trippedAt = rig.clock.now();
    rig.chamber = 12;
    rig.tick(COOL);
    expect(rig.guard.clear('tester')).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
    rig.runUntil(1000, COOL, () => rig.applied.cool);
    expect(rig.clock.now() - trippedAt).toBe(300_000);
  });

  it('forceSafe switches everything off at once inside min-on and records why', () => {
    const rig = settled();
    rig.tick(COOL);
    rig.run(5, COOL);
    rig.guard.forceSafe('shutdown');
    expect(rig.port.last).toEqual(OFF);
    expect(rig.incidents.at(-1)).toMatchObject({ code: 'COBREW_ERR_FORCED_SAFE', severity: 'alarm' });
    expect(rig.incidents.at(-1)?.context.outputs).toEqual(COOL);
    expect(rig.incidents.at(-1)?.message).toContain('shutdown');
    expect(rig.guard.status().status).toBe('ok');
    const offAt = rig.clock.now();
    rig.runUntil(1000, COOL, () => rig.applied.cool);
    expect(rig.clock.now() - offAt).toBe(300_000);
  });

  it('the untimed configuration switches immediately (used by the rule tests)', () => {
    const rig = new Rig({ safety: UNTIMED });
    expect(rig.tick(COOL)).toEqual(COOL);
    expect(rig.tick(HEAT)).toEqual(HEAT);
    expect(rig.tick(OFF)).toEqual(OFF);
  });
});
