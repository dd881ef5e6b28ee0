// Fermenter configurations on real boards for the profile, fleet and journal tests.

import type { FermenterConfig } from '../../../firmware-bridge/config-schema.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { ROMS } from '../drivers/line/board-emulator.js';

/** A relay module channel without a motor rating (the common blue 10 A modules). */
export const MODULE_RELAY = {
  type: 'relay',
  part: 'SRD-05VDC relay module channel, 10 A 250 V AC',
  coilMA: 72,
  coilDrive: 'module',
  resistiveA: 10,
  maxVac: 250,
  motor: null,
} as const;

/** A reference board with a 300 W heater and a 150 W compressor: fits. */
export function realFermenter(
  over: Record<string, unknown> = {},
  outputs: Record<string, unknown> = {},
): FermenterConfig {
  return checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'cobrew', port: '/dev/ttyACM0', mainsV: 230, ...over },
    sensors: {
      beer: { address: ROMS.beer },
      chamber: { address: ROMS.chamber },
      ambient: { address: ROMS.ambient },
    },
    outputs: {
      heat: { loadW: 300, ...(outputs.heat as object) },
      cool: { loadW: 150, ...(outputs.cool as object) },
    },
  });
}
