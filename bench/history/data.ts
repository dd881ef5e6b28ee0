// A synthetic fermentation log: one state per second per fermenter, shaped like the real thing (a beer
// temperature drifting around its setpoint, a chamber swinging with compressor cycles, heat and cool
// outputs, a hydrometer reading every 15 minutes), deterministic for a given seed.
import type { StateItem } from '../../history/store.js';

export const START = Date.UTC(2026, 0, 1);

/** Park–Miller: the same figures on every run. */
function random(seed: number): () => number {
  let s = seed % 2_147_483_647 || 1;
  return () => {
    s = (s * 48_271) % 2_147_483_647;
    return s / 2_147_483_647;
  };
}

/** Readings in time order, a second at a time across the fermenters, `seconds` seconds long. */
export function* fermentationLog(fermenters: number, seconds: number, seed = 1): Generator<StateItem> {
  const rand = random(seed);
  const ids = Array.from({ length: fermenters }, (_, i) => `fermenter-${i + 1}`);
  const gravity = ids.map(() => 1.05);
  for (let s = 0; s < seconds; s++) {
    const at = START + s * 1000;
    for (let f = 0; f < ids.length; f++) {
      const cycle = (s + f * 700) % 1800; // a compressor cycle every half hour
      const cool = cycle < 420 ? 1 : 0;
      if (s % 900 === 0) gravity[f] = Math.max(1.008, (gravity[f] as number) - 0.0002 * rand());
      yield {
        kind: 'state',
        mode: 'beer',
        profileStep: null,
        reading: {
          fermenterId: ids[f] as string,
          at,
          fields: {
            beerC: 18 + 0.3 * Math.sin(s / 5400 + f) + 0.02 * (rand() - 0.5),
            chamberC:
              17 + (cool ? -1.5 * (cycle / 420) : -1.5 + 1.5 * ((cycle - 420) / 1380)) + 0.05 * rand(),
            ambientC: 20 + 3 * Math.sin((2 * Math.PI * s) / 86_400) + 0.1 * rand(),
            beerSetpointC: 18,
            chamberSetpointC: 16.5 + 0.5 * Math.sin(s / 3600),
            heat: cycle > 1700 ? 1 : 0,
            cool,
            gravity: gravity[f] as number,
            hydrometerBatteryV: 4.1 - s / 30_000_000,
          },
        },
      };
    }
  }
}
