import { describe, expect, it } from 'vitest';
import { COOL, clearError, OFF, Rig, UNTIMED } from './rig.js';

describe('stale data', () => {
  it('trips when a probe repeats an old sample for longer than staleS, not before', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 12;
    rig.run(5, COOL);
    rig.frozen.add('chamber');
    rig.run(10, COOL);
    expect(rig.readings?.chamber).toBe(12);
    expect(rig.applied).toEqual(COOL);
    rig.tick(COOL);
    expect(rig.applied).toEqual(OFF);
    expect(rig.readings?.chamber).toBeNull();
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STALE']);
    expect(rig.incidents[0]?.message).toMatch(/No fresh reading has come from the chamber probe for 11 s/);
  });

  it('bridges a missing answer with the last sample while it is fresh, then trips', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 12;
    rig.run(5, COOL);
    rig.chamber = null;
    rig.tick(COOL);
    expect(rig.readings?.chamber).toBe(12);
    expect(rig.applied).toEqual(COOL);
    rig.run(10, COOL);
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STALE']);
    expect(rig.applied).toEqual(OFF);
  });

  it('trips a beer probe that never answers, staleS after start', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = null;
    rig.run(10);
    expect(rig.incidents).toEqual([]);
    rig.tick();
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STALE']);
    expect(rig.incidents[0]?.message).toMatch(/since control started/);
  });

  it('trips from apply() alone when no readings reach the guard at all', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.clock.advance(11_000);
    expect(rig.guard.apply(COOL)).toEqual(OFF);
    expect(rig.guard.status().trips).toEqual(['COBREW_ERR_SENSOR_STALE']);
  });

  it('refuses a clear while stale and accepts it once fresh', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(5);
    rig.frozen.add('beer');
    rig.run(20);
    expect(clearError(rig).message).toMatch(
      /beer probe has sent no fresh reading for 20 s \(COBREW_ERR_SENSOR_STALE\)/,
    );
    rig.frozen.delete('beer');
    rig.tick();
    expect(rig.guard.clear('bob')).toEqual(['COBREW_ERR_SENSOR_STALE']);
  });

  it('treats a room probe that never answered as not fitted, and a silent one as an alarm', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.ambient = null;
    rig.run(60, COOL);
    expect(rig.guard.status().status).toBe('ok');
    const fitted = new Rig({ safety: UNTIMED });
    fitted.run(5);
    fitted.ambient = null;
    fitted.run(60, COOL);
    expect(fitted.guard.status()).toEqual({
      status: 'alarm',
      trips: [],
      alarms: ['COBREW_ERR_SENSOR_STALE'],
    });
    expect(fitted.applied).toEqual(COOL);
  });
});
