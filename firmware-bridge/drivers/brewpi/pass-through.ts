// The controller in front of a BrewPi board: the board's own loop does the control, so this one forwards
// the fermenter's target to the board and tells the guard which relays the board is running. The guard
// then times, watches (runaway, stuck relay, swapped probes) and publishes the board's real outputs, and
// its "off" for a running output is what puts the board in mode off (BrewPiDriver.outputs).
import {
  ALL_OFF,
  type ControlInput,
  type Controller,
  type ControlOutput,
  type ControlTarget,
} from '../../types.js';
import type { BrewPiDriver, BrewPiTarget } from './brewpi-driver.js';

/** Setpoints go to the board in 0.1 °C steps (its display's): a profile ramp is not a stream of `j{…}`. */
const quantise = (c: number) => Math.round(c * 10) / 10;

export function brewPiTargetOf(target: ControlTarget): BrewPiTarget {
  switch (target.mode) {
    case 'off':
      return { mode: 'o' };
    case 'beer':
      // A profile runs in the board's profile mode, as brewpi-script does: in beer-constant mode the firmware
      // writes every setpoint change to its EEPROM.
      return { mode: target.profile ? 'p' : 'b', beerSetC: quantise(target.beerC) };
    case 'chamber':
      return { mode: 'f', fridgeSetC: quantise(target.chamberC) };
  }
}

export class BrewPiPassThrough implements Controller {
  readonly name = 'brewpi';

  constructor(readonly board: BrewPiDriver) {}

  step(input: ControlInput): ControlOutput {
    this.board.setTarget(brewPiTargetOf(input.target));
    const s = this.board.boardState;
    return {
      request: s?.outputs ?? { ...ALL_OFF },
      chamberTargetC: s?.fridgeSetC ?? null,
      state: s?.state ?? 'board-offline',
    };
  }
}
