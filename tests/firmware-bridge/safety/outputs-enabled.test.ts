// outputs.<name>.enabled: an output that is not fitted (a heating-only fermenter in a cold cellar) is never
// switched on, whatever a controller asks.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import { COOL, HEAT, OFF, Rig, UNTIMED } from './rig.js';

describe('disabled outputs', () => {
  it('never switches a disabled cooler on, and still runs the heater', () => {
    const rig = new Rig({ safety: UNTIMED, enabled: { heat: true, cool: false } });
    rig.run(3600, COOL);
    rig.run(600, { heat: true, cool: true });
    expect(rig.port.writes.some((w) => w.cool)).toBe(false);
    expect(rig.applied).toEqual(HEAT);
  });

  it('never switches a disabled heater on, and still runs the cooler', () => {
    const rig = new Rig({ safety: UNTIMED, enabled: { heat: false, cool: true } });
    rig.run(3600, HEAT);
    expect(rig.port.writes.some((w) => w.heat)).toBe(false);
    expect(rig.tick(COOL)).toEqual(COOL);
  });

  it('reports which outputs it will switch on in timing(), for controllers to plan with', () => {
    expect(new Rig({ enabled: { heat: true, cool: false } }).guard.timing().enabled).toEqual({
      heat: true,
      cool: false,
    });
    expect(new Rig().guard.timing().enabled).toEqual({ heat: true, cool: true });
  });

  it('a disabled output never starts the interlock dead time for the other', () => {
    const rig = new Rig({ enabled: { heat: true, cool: false } });
    rig.run(600, COOL);
    expect(rig.tick(HEAT)).toEqual(HEAT);
    expect(rig.tick(OFF)).toEqual(HEAT);
  });

  it('takes the setting from the fermenter configuration: a warm room cannot make it cool', () => {
    const clock = new ManualClock();
    const config = checkFermenterConfig({
      id: 'cellar',
      name: 'cellar',
      board: { type: 'sim', ambientMeanC: 26, ambientSwingC: 0, startBeerC: 18 },
      outputs: { cool: { enabled: false } },
      control: { beerSetpointC: 18 },
    });
    const board = new SimBoard(config.board, clock);
    const fermenter = new Fermenter(config, board, clock);
    let cooled = false;
    for (let s = 0; s < 4 * 3600; s++) {
      clock.advance(1000);
      cooled ||= fermenter.tick().outputs.cool || board.truth().relays.cool;
    }
    expect(cooled).toBe(false);
    expect(board.truth().beerC).toBeGreaterThan(18.3);
  });
});
