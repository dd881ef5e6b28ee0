// sensors.<probe>.offsetC on the real control path: a board's readings are calibrated before the guard
// and the controller see them, and the DS18B20's fault values still read as faults.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import type { Board, Incident, SensorFrame } from '../../firmware-bridge/types.js';

function rig(values: { beer: number; chamber: number; ambient: number }) {
  const clock = new ManualClock();
  const board: Board = {
    kind: 'fixed',
    read: (): SensorFrame => {
      const at = clock.now();
      return {
        at,
        beer: { value: values.beer, at },
        chamber: { value: values.chamber, at },
        ambient: { value: values.ambient, at },
      };
    },
    outputs: { write: () => {} },
  };
  const config = checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'sim' },
    sensors: { beer: { offsetC: 0.5 }, chamber: { offsetC: -0.25 }, ambient: { offsetC: 1 } },
  });
  const fermenter = new Fermenter(config, board, clock);
  const incidents: Incident[] = [];
  fermenter.on('incident', (i: Incident) => incidents.push(i));
  return { clock, fermenter, incidents };
}

describe('probe calibration', () => {
  it('adds each probe its offset before the guard and the controller see it', () => {
    const r = rig({ beer: 19.5, chamber: 18.25, ambient: 20 });
    let state = r.fermenter.tick();
    for (let i = 0; i < 5; i++) {
      r.clock.advance(1000);
      state = r.fermenter.tick();
    }
    expect(state).toMatchObject({ beerC: 20, chamberC: 18, ambientC: 21 });
  });

  it('passes −127 and 85 on unchanged, so a disconnected or power-on probe is still caught', () => {
    const r = rig({ beer: -127, chamber: 85, ambient: 20 });
    for (let i = 0; i < 10; i++) {
      r.clock.advance(1000);
      r.fermenter.tick();
    }
    expect(r.incidents.map((i) => i.code)).toEqual(
      expect.arrayContaining(['COBREW_ERR_SENSOR_DISCONNECTED', 'COBREW_ERR_SENSOR_POWER_ON']),
    );
  });
});
