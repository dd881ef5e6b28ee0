import { describe, expect, it } from 'vitest';
import { COOL, HEAT, OFF, Rig, UNTIMED } from './rig.js';

const q = (v: number) => Math.floor(v * 16) / 16;

/** Compressor runs of `onS` every `periodS`, shorter than the runaway window so only these rules judge. */
const cycling = (onS: number, periodS: number) => (t: number) => ((t - 1) % periodS < onS ? COOL : OFF);

describe('stuck probe', () => {
  it('never trips on a stable beer and chamber while nothing runs', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 600 } });
    rig.run(12 * 3600);
    expect(rig.incidents).toEqual([]);
  });

  it('trips a chamber probe that does not move through stuckS of cooling, counted across runs', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 1800 } });
    rig.chamber = 12;
    const request = cycling(600, 1200);
    // Beer moves a little, the "chamber" never does.
    const before = (t: number) => {
      rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
    };
    // Runs start at t = 1, 1201, 2401, each counted from the next check: 600 + 600 + 600 s end at t = 3001.
    rig.run(3000, request, before);
    expect(rig.incidents).toEqual([]);
    before(3001);
    rig.tick(request(3001));
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STUCK']);
    expect(rig.applied).toEqual(OFF);
    expect(rig.readings?.chamber).toBeNull();
    expect(rig.incidents[0]?.message).toMatch(
      /chamber probe has read exactly 12 °C through 30 min in which heating or cooling should have moved it/,
    );
  });

  it('never trips on a beer held steady against fermentation heat by a cycling compressor', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 3600 } });
    // The chamber ripples 2 °C around a steady 4 °C offset; the beer reading never changes.
    rig.run(24 * 3600, cycling(300, 900), (t) => {
      rig.chamber = q(13 + Math.abs(((t % 900) - 450) / 225));
    });
    expect(rig.incidents).toEqual([]);
  });

  it('trips a beer reading that does not follow a chamber pulled away from it, after stuckS of pulling', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 3600 } });
    rig.chamber = 15;
    rig.run(1800, cycling(300, 900), (t) => {
      rig.chamber = q(15 + (t % 900 < 300 ? -0.5 : 0));
    });
    // A controller winding up against a stuck reading: the chamber slides down 4 °C an hour.
    const start = rig.clock.now();
    rig.runUntil(
      6 * 3600,
      cycling(300, 900),
      () => rig.incidents.length > 0,
      (t) => {
        rig.chamber = q(15 - t / 900);
      },
    );
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STUCK']);
    expect(rig.incidents[0]?.message).toMatch(/beer probe has read exactly 18 °C/);
    // The smoothed chamber leaves the 2 °C band after about 38 min, then an hour of pulling.
    const tookS = (rig.clock.now() - start) / 1000;
    expect(tookS).toBeGreaterThan(3600 + 30 * 60);
    expect(tookS).toBeLessThan(3600 + 50 * 60);
  });

  it('counts a vessel heater as driving the beer', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 1200 }, mount: 'vessel' });
    rig.run(1201, HEAT, (t) => {
      rig.chamber = q(18 + (Math.floor(t / 60) % 2) * 0.0625);
      rig.beer = 17;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STUCK']);
  });

  it('restarts the count whenever the value changes', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 1800 } });
    rig.chamber = 12;
    rig.run(6 * 3600, cycling(600, 1200), (t) => {
      rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
      if (t % 1500 === 0) rig.chamber = (rig.chamber ?? 12) === 12 ? 11.9375 : 12;
    });
    expect(rig.incidents).toEqual([]);
  });

  it('does not count late in a long run, where a settled probe may repeat itself', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 1800 } });
    rig.chamber = 12;
    rig.run(6 * 3600, COOL, (t) => {
      rig.chamber = Math.floor(Math.max(2, 12 - t / 120) * 16) / 16;
      rig.beer = Math.floor((18 - t / 7200) * 16) / 16;
    });
    expect(rig.incidents).toEqual([]);
  });

  it('re-arms on clear: the evidence builds again from zero', () => {
    const rig = new Rig({ safety: { ...UNTIMED, stuckS: 600 } });
    rig.chamber = 12;
    rig.run(601, COOL, (t) => {
      rig.beer = 18 + (t % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STUCK']);
    expect(rig.guard.clear('carol')).toEqual(['COBREW_ERR_SENSOR_STUCK']);
    rig.run(600, COOL, (t) => {
      rig.beer = 18 + (t % 2) * 0.0625;
    });
    expect(rig.codes()).toHaveLength(1);
    rig.tick(COOL);
    expect(rig.codes()).toHaveLength(2);
  });
});

describe('identical beer and chamber', () => {
  it('never trips on legitimate convergence with the outputs off', () => {
    const rig = new Rig({ safety: { ...UNTIMED, identicalS: 600 } });
    rig.run(24 * 3600);
    expect(rig.incidents).toEqual([]);
  });

  it('trips a duplicated probe after identicalS of driving, not before', () => {
    const rig = new Rig({ safety: { ...UNTIMED, identicalS: 1800 } });
    const request = cycling(1200, 2400);
    const before = (t: number) => {
      const v = Math.floor((18 - t / 600) * 16) / 16;
      rig.beer = v;
      rig.chamber = v;
    };
    // Runs start at t = 1 and 2401, each counted from the next check: 1200 + 600 s end at t = 3001.
    rig.run(3000, request, before);
    expect(rig.incidents).toEqual([]);
    before(3001);
    rig.tick(request(3001));
    expect(rig.codes()).toEqual(['COBREW_ERR_PROBES_IDENTICAL']);
    expect(rig.applied).toEqual(OFF);
    expect(rig.readings?.beer).toBeNull();
    expect(rig.readings?.chamber).toBeNull();
    expect(rig.incidents[0]?.message).toMatch(/Both settings probably name the same probe/);
  });

  it('restarts the count once the two readings part', () => {
    const rig = new Rig({ safety: { ...UNTIMED, identicalS: 1800 } });
    rig.run(6 * 3600, cycling(1200, 2400), (t) => {
      rig.chamber = t % 1500 < 1400 ? 18 : 16;
    });
    expect(rig.codes()).not.toContain('COBREW_ERR_PROBES_IDENTICAL');
  });

  it('does not trip when the beer converges to the chamber at full duty for a day', () => {
    const rig = new Rig({
      safety: { ...UNTIMED, identicalS: 1800, heat: { minOnS: 0, minOffS: 0, maxOnS: 48 * 3600 } },
    }).physics();
    rig.ambient = 5;
    rig.run(30 * 3600, HEAT);
    expect(Math.abs((rig.beer ?? 0) - (rig.chamber ?? 0))).toBeLessThanOrEqual(0.1);
    expect(rig.incidents).toEqual([]);
    expect(rig.applied).toEqual(HEAT);
  });
});
