// A vessel heat wrap that came off warms the chamber air instead of the beer (heater-detached).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import type { Incident } from '../../../firmware-bridge/types.js';
import { HEAT, OFF, Rig, UNTIMED } from './rig.js';

const q = (v: number) => Math.floor(v * 16) / 16;
const AIR =
  /The heat is going into the air, not the beer: the heat wrap may have come off the fermenter\..*Check the wrap before clearing/;

describe('heat going into the air (vessel heat wrap come off)', () => {
  it('trips before the window mark once the air is held beyond beer and room while the beer stays put', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    rig.ambient = 10;
    const at = rig.runUntil(
      1800,
      HEAT,
      () => rig.tripped(),
      (t) => {
        rig.chamber = q(17 + t / 120);
        rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
      },
    );
    // The chamber reaches 20 °C (beer + heldMarginC) after 6 min.
    expect(at).toBeGreaterThanOrEqual(360);
    expect(at).toBeLessThan(400);
    expect(rig.codes()).toEqual(['COBREW_ERR_HEATER_NO_EFFECT']);
    expect(rig.applied).toEqual(OFF);
    const incident = rig.incidents[0] as Incident;
    expect(incident.message).toMatch(AIR);
    expect(incident.message).toMatch(
      /the chamber air went from 17 °C to 20(\.\d+)? °C, the beer only from 18 °C/,
    );
    expect(incident.context.detail).toMatchObject({ cause: 'heat-into-air', chamberFromC: 17 });
  });

  it('names the air at the window mark when the beer did not rise and the air, warmer than the beer, did', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    // A warm room: the air never gets heldMarginC beyond it, so only the window mark judges.
    rig.ambient = 19;
    rig.run(1801, HEAT, (t) => {
      rig.chamber = q(17 + t / 600);
      rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
    });
    expect(rig.codes()).toEqual(['COBREW_ERR_HEATER_NO_EFFECT']);
    expect(rig.incidents[0]?.message).toMatch(AIR);
    expect(rig.incidents[0]?.message).toMatch(/has run for 30 min/);
  });

  it('does not blame the air for a chamber recovering from a compressor run towards the beer', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    rig.ambient = 4;
    // After cooling the air climbs back 5 °C, still below the beer, while the wrap warms the beer.
    rig.run(2 * 3600, HEAT, (t) => {
      rig.chamber = q(13 - 5 * Math.exp(-t / 900));
      rig.beer = q(18 + t / 2400);
    });
    expect(rig.incidents).toEqual([]);
  });

  it('does not apply to a chamber heater, whose job is warming the air', () => {
    const rig = new Rig({ safety: UNTIMED });
    rig.ambient = 10;
    rig.run(1000, HEAT, (t) => {
      rig.chamber = q(17 + t / 120);
      rig.beer = q(18 + t / 3600);
    });
    expect(rig.incidents).toEqual([]);
  });

  it('re-arms on clear and trips again on the next run that heats the air', () => {
    const rig = new Rig({ safety: UNTIMED, mount: 'vessel' });
    rig.ambient = 10;
    let base = 17;
    const air = (t: number) => {
      rig.chamber = q(base + t / 120);
      rig.beer = 18 + (Math.floor(t / 300) % 2) * 0.0625;
    };
    rig.runUntil(1800, HEAT, () => rig.tripped(), air);
    rig.run(60, OFF);
    base = rig.chamber ?? 0;
    expect(rig.guard.clear('tester')).toEqual(['COBREW_ERR_HEATER_NO_EFFECT']);
    expect(rig.runUntil(1800, HEAT, () => rig.tripped(), air)).toBeGreaterThan(0);
    expect(rig.codes()).toEqual(['COBREW_ERR_HEATER_NO_EFFECT', 'COBREW_ERR_HEATER_NO_EFFECT']);
  });
});

/** A vessel-heated fermenter on the real board and controller. */
function vesselRun(o: {
  roomC: number;
  heaterW: number;
  coolEnabled: boolean;
  hours: number;
  detachAtH?: number;
}) {
  const clock = new ManualClock();
  const config = checkFermenterConfig({
    id: 'wrap',
    name: 'wrap',
    board: {
      type: 'sim',
      heaterMount: 'vessel',
      heaterW: o.heaterW,
      ambientMeanC: o.roomC,
      startBeerC: 18,
      fermentationDelayH: 48,
    },
    outputs: { cool: { enabled: o.coolEnabled } },
    // Hold, then a step up: the wrap runs for hours at full power.
    control: {
      mode: 'profile',
      profile: [
        { type: 'hold', targetC: 18, durationH: 5 },
        { type: 'hold', targetC: 21, durationH: 30 },
      ],
    },
  });
  const board = new SimBoard(config.board, clock);
  const fermenter = new Fermenter(config, board, clock);
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => incidents.push(i));
  let longestRunS = 0;
  let runS = 0;
  for (let s = 1; s <= o.hours * 3600; s++) {
    clock.advance(1000);
    if (s === (o.detachAtH ?? -1) * 3600) board.inject({ kind: 'heater-detached' });
    runS = fermenter.tick().outputs.heat ? runS + 1 : 0;
    longestRunS = Math.max(longestRunS, runS);
  }
  return { incidents, longestRunS };
}

describe('heat going into the air, on the simulated fermenter with cobrew’s controller', () => {
  it.each([
    [2, 50, false],
    [2, 200, true],
    [8, 100, true],
  ])(
    'an attached wrap never trips it: room %i °C, %i W, cooling %s, 20 h with a step up',
    (roomC, heaterW, cool) => {
      const run = vesselRun({ roomC, heaterW, coolEnabled: cool, hours: 20 });
      expect(run.incidents.filter((i) => i.severity === 'trip')).toEqual([]);
      expect(run.longestRunS).toBeGreaterThan(1800);
    },
  );

  it('a wrap that came off is named once the step up makes it heat', () => {
    const run = vesselRun({ roomC: 8, heaterW: 100, coolEnabled: false, hours: 8, detachAtH: 4 });
    const trip = run.incidents.find((i) => i.severity === 'trip');
    expect(trip?.code).toBe('COBREW_ERR_HEATER_NO_EFFECT');
    expect(trip?.message).toMatch(AIR);
  });
});
