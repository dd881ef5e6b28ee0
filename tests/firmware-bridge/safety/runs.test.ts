import { describe, expect, it } from 'vitest';
import { COOL, HEAT, OFF, Rig, UNTIMED } from './rig.js';

describe('swapped probes', () => {
  it('trips when the "beer" probe runs ahead of the "chamber" probe while cooling', () => {
    const rig = new Rig({ safety: UNTIMED }).physics();
    rig.swapped = true;
    const tripAt = rig.runUntil(1800, COOL, () => rig.tripped());
    expect(tripAt).toBeGreaterThan(0);
    expect(tripAt).toBeLessThan(300);
    expect(rig.codes()).toEqual(['COBREW_ERR_PROBES_SWAPPED']);
    expect(rig.applied).toEqual(OFF);
    expect(rig.readings?.beer).toBeNull();
    expect(rig.incidents[0]?.message).toMatch(
      /While cooling, the beer probe moved .* so the two probes are in each other's place/,
    );
  });

  it('trips the same way with a chamber heater', () => {
    const rig = new Rig({ safety: UNTIMED }).physics();
    rig.swapped = true;
    expect(rig.runUntil(1800, HEAT, () => rig.tripped())).toBeGreaterThan(0);
    expect(rig.codes()).toEqual(['COBREW_ERR_PROBES_SWAPPED']);
  });

  it('does not trip on correctly placed probes, even with the door opened late in a long run', () => {
    const rig = new Rig({ safety: UNTIMED }).physics();
    rig.run(4 * 3600, COOL, (t) => {
      // Open for five minutes: the air warms 3 °C a minute.
      if (t > 3 * 3600 && t <= 3 * 3600 + 300) rig.nudgeChamber(0.05);
    });
    expect(rig.incidents).toEqual([]);
  });

  it('does not trip when a run starts with the chamber already near what the output can reach', () => {
    const rig = new Rig({
      safety: { ...UNTIMED, heat: { minOnS: 0, minOffS: 60, maxOnS: 3600 } },
    }).physics();
    rig.run(8 * 3600, HEAT);
    expect(rig.codes().filter((c) => c !== 'COBREW_ERR_MAX_ON_TIME')).toEqual([]);
  });

  it('does not apply to a vessel heater, which moves the beer first', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' }).physics();
    rig.run(3600, HEAT);
    expect(rig.incidents).toEqual([]);
  });
});

describe('no effect (runaway)', () => {
  it('trips a compressor that does not lower the chamber by minDeltaC at the window mark, not before', () => {
    const rig = new Rig({ safety: UNTIMED });
    // Dead compressor: the chamber sits between beer and room, barely moving.
    rig.chamber = 19;
    rig.run(1799, COOL, (t) => {
      rig.chamber = Math.floor((19 - t / 4000) * 16) / 16;
    });
    expect(rig.incidents).toEqual([]);
    rig.tick(COOL);
    rig.tick(COOL);
    expect(rig.codes()).toEqual(['COBREW_ERR_COOLER_NO_EFFECT']);
    expect(rig.applied).toEqual(OFF);
    expect(rig.incidents[0]?.message).toMatch(
      /cooling \(compressor\) has run for 30 min, yet the chamber went from 18.94 °C to 18.5 °C/,
    );
    expect(rig.incidents[0]?.message).toMatch(/The door may be open, or the compressor is not running/);
  });

  it('passes a run that holds the chamber beyond room and beer without moving it further', () => {
    const rig = new Rig({ safety: UNTIMED });
    // Full duty at the fridge's limit: 6 °C below the beer and 14 °C below the room, steady.
    rig.chamber = 4;
    rig.run(2 * 3600, COOL, (t) => {
      rig.chamber = 4 + (Math.floor(t / 90) % 2) * 0.0625;
      rig.beer = 10 + (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(rig.incidents).toEqual([]);
    // The same flat chamber with the beer colder than it is not held by anything: no effect.
    const dead = new Rig({ safety: UNTIMED });
    dead.chamber = 4;
    dead.run(1801, COOL, (t) => {
      dead.chamber = 4 + (Math.floor(t / 90) % 2) * 0.0625;
      dead.beer = 2 + (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(dead.codes()).toEqual(['COBREW_ERR_COOLER_NO_EFFECT']);
  });

  it('does not trip a working compressor or heater', () => {
    const rig = new Rig({ safety: UNTIMED }).physics();
    rig.run(2 * 3600, COOL);
    rig.run(2 * 3600, HEAT);
    expect(rig.incidents).toEqual([]);
  });

  it('judges a vessel heater by the beer, not the chamber', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    // A dead wrap: neither beer nor chamber air warms.
    rig.run(1801, HEAT, (t) => {
      rig.chamber = 17 + (Math.floor(t / 200) % 2) * 0.0625;
      rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_HEATER_NO_EFFECT']);
    expect(rig.incidents[0]?.message).toMatch(
      /heater has run for 30 min, yet the beer went from 18 °C to 18 °C/,
    );
  });

  it('judges a chamber heater by the chamber', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = 17;
    rig.run(1801, HEAT, (t) => {
      rig.beer = 17 + (Math.floor(t / 300) % 2) * 0.0625;
      rig.chamber = 18 + (Math.floor(t / 200) % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_HEATER_NO_EFFECT']);
  });

  it('names a probe that did not change at all through the run, rather than the output', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = 17;
    rig.run(1801, HEAT, (t) => {
      rig.beer = 17 + (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_STUCK']);
    expect(rig.incidents[0]?.message).toMatch(/chamber probe has read exactly 18 °C through 30 min/);
  });

  it('names beer and chamber reading the same through the run, rather than the output', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.ambient = 19;
    rig.run(1801, COOL, (t) => {
      rig.beer = rig.chamber = 18 - (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_PROBES_IDENTICAL']);
  });

  it('does not judge runs shorter than the window', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 12;
    rig.run(
      6 * 3600,
      (t) => ((t - 1) % 2400 < 1700 ? COOL : OFF),
      (t) => {
        rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
        rig.chamber = 12 + (Math.floor(t / 200) % 2) * 0.0625;
      },
    );
    expect(rig.incidents).toEqual([]);
  });

  it('judges once per run, at the window mark', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.chamber = 12;
    // Falls 1 °C in the first half hour, then stays: the run is judged at the mark and passes.
    rig.run(4 * 3600, COOL, (t) => {
      rig.chamber = Math.floor(Math.max(11, 12 - t / 1500) * 16) / 16 + (t % 120 < 60 ? 0 : 0.0625);
    });
    expect(rig.codes()).not.toContain('COBREW_ERR_COOLER_NO_EFFECT');
  });
});
