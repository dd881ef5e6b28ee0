import { describe, expect, it } from 'vitest';
import { COOL, clearError, HEAT, OFF, Rig, UNTIMED } from './rig.js';

const q = (v: number) => Math.floor(v * 16) / 16;

/** A rig whose compressor just ran and was switched off. */
function afterCooling(): Rig {
  const rig = new Rig({ safety: UNTIMED });
  rig.chamber = 10;
  rig.run(60, COOL, (t) => {
    rig.chamber = q(10 - t / 600);
  });
  rig.tick(OFF);
  return rig;
}

describe('welded relay (stuck on)', () => {
  it('raises an alarm when the chamber keeps falling below room and beer with cooling off', () => {
    const rig = afterCooling();
    const from = rig.chamber ?? 0;
    // The welded compressor keeps pulling the air down 0.1 °C a minute: beyond room and beer by 2 °C at once.
    const at = rig.runUntil(
      3 * 3600,
      OFF,
      () => rig.incidents.length > 0,
      (t) => {
        rig.chamber = q(from - t / 600);
      },
    );
    // Marks every 15 min from the first check after the switch-off: the third (30 min later) judges.
    expect(at).toBe(1801);
    expect(rig.incidents[0]).toMatchObject({ code: 'COBREW_ERR_RELAY_STUCK_ON', severity: 'alarm' });
    expect(rig.incidents[0]?.message).toMatch(
      /cannot switch a welded relay off. Unplug the fridge at the wall now/,
    );
    expect(rig.guard.status()).toEqual({ status: 'alarm', trips: [], alarms: ['COBREW_ERR_RELAY_STUCK_ON'] });
  });

  it('holds every other output off, and refuses a clear while the chamber is still held low', () => {
    const rig = afterCooling();
    const from = rig.chamber ?? 0;
    rig.run(1801, OFF, (t) => {
      rig.chamber = q(from - t / 600);
    });
    expect(rig.tick(HEAT)).toEqual(OFF);
    expect(rig.tick(COOL)).toEqual(OFF);
    const err = clearError(rig);
    expect(err.conditions).toEqual(['COBREW_ERR_RELAY_STUCK_ON']);
    expect(err.message).toMatch(/chamber is still held below room and beer temperature/);
    // Unplugged at the wall: the chamber warms back towards the beer.
    const low = rig.chamber ?? 0;
    rig.run(3600, HEAT, (t) => {
      rig.chamber = q(Math.min(17.5, low + t / 120));
    });
    expect(rig.applied).toEqual(OFF);
    expect(rig.guard.clear('dave')).toEqual(['COBREW_ERR_RELAY_STUCK_ON']);
    expect(rig.tick(HEAT)).toEqual(HEAT);
  });

  it('does not mistake an evaporator cooling on for a few minutes after the stop', () => {
    const rig = afterCooling();
    const from = rig.chamber ?? 0;
    rig.run(4 * 3600, OFF, (t) => {
      const overshoot = t < 180 ? -t / 180 : -1 + (t - 180) / 600;
      rig.chamber = q(Math.min(17, from + overshoot));
      rig.beer = q(18 - t / 36000);
    });
    expect(rig.incidents).toEqual([]);
  });

  it('does not mistake a chamber falling towards cold beer after the door closes', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.beer = 4;
    rig.chamber = 15;
    // The air settles towards the cold beer, steadily, but never below it.
    rig.run(4 * 3600, OFF, (t) => {
      rig.chamber = q(4.5 + 10.5 * Math.exp(-t / 3600));
      rig.beer = q(4 + 0.5 * (1 - Math.exp(-t / 3600)));
    });
    expect(rig.incidents).toEqual([]);
  });

  it('raises an alarm for a chamber heater that keeps heating while off', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.run(60, HEAT, (t) => {
      rig.chamber = q(18 + t / 60);
    });
    rig.tick(OFF);
    const from = rig.chamber ?? 0;
    rig.run(1801, OFF, (t) => {
      rig.chamber = q(from + t / 300);
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_RELAY_STUCK_ON']);
    expect(rig.incidents[0]?.message).toMatch(/Heating is switched off, but the chamber kept rising/);
  });
});
