// Simulated fermenters for the control benchmark: the reference fridge fitted to a real BrewPi log, and
// the sweep of fermenters that differ in volume, fridge, compressor, insulation, heater mount and room.
import type { SimBoardConfig } from '../../firmware-bridge/config-schema.js';

type Board = Partial<Omit<SimBoardConfig, 'thermal'>> & { thermal?: Partial<SimBoardConfig['thermal']> };

/**
 * The Kölsch log's fermenter before any fit: today's default fridge, with a 20 L Kölsch (OG 1.048, FG
 * 1.010) pitched a day before the log starts. The log states neither volume nor gravity.
 */
export const KOLSCH_BEFORE = {
  volumeL: 20,
  originalGravity: 1.048,
  finalGravity: 1.01,
  fermentationDelayH: 24,
} as const satisfies Board;

/**
 * The same fermenter fitted to the log by `npm run fit:kolsch` (rounded from its output; replay error beer
 * 5.54 → 0.197 °C RMS, fridge air 6.03 → 0.463 °C RMS). A weak compressor (45 W lifted) whose cold reaches the
 * air slowly through still air from a heavy evaporator (the ~47 min lag the log shows), a 41 W heater, a
 * heavy liner and a cabinet losing 2.7 W/K; less fermentation heat than a 1.048 wort would give.
 */
export const KOLSCH_FIT = {
  ...KOLSCH_BEFORE,
  originalGravity: 1.0276,
  fermentationDelayH: 28.4,
  coolerW: 45.5,
  heaterW: 41,
  thermal: {
    beerUAAt20L: 1.6,
    chamberJPerK: 8700,
    wallJPerK: 42_300,
    evaporatorJPerK: 2800,
    chamberWallUA: 5.44,
    wallRoomUA: 2.73,
    evaporatorUA: 1,
    compressorDelayS: 0,
    leakUA: 0,
  },
} as const satisfies Board;
