// Fourteen days of ordinary fermentation at one tick a second: nothing may trip, nothing may raise an
// alarm, and the guard must stay cheap enough for benchmarks that run weeks of simulated time.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { SafetyGuard } from '../../../firmware-bridge/safety/guard.js';
import type { Incident, Outputs } from '../../../firmware-bridge/types.js';
import { safetyConfig } from './rig.js';

const DAY_S = 86_400;
const q = (v: number) => Math.floor(v * 16) / 16;

function ferment(mount: 'chamber' | 'vessel', roomC: number) {
  const clock = new ManualClock();
  let both = false;
  const guard = new SafetyGuard({
    fermenterId: 'long',
    safety: safetyConfig(),
    heaterMount: mount,
    port: {
      write(o) {
        both ||= o.heat && o.cool;
      },
    },
    clock,
    settings: () => ({}),
  });
  const incidents: Incident[] = [];
  guard.on('incident', (i) => incidents.push(i));
  const beer = { value: 18, at: 0 };
  const chamber = { value: 18, at: 0 };
  const ambient = { value: 20, at: 0 };
  const frame = { at: 0, beer, chamber, ambient };
  const request: Outputs = { heat: false, cool: false };
  let applied: Outputs = { heat: false, cool: false };
  const onS = { heat: 0, cool: 0 };
  let b = 18;
  let c = 18;
  const started = performance.now();
  for (let s = 0; s < 14 * DAY_S; s++) {
    const now = clock.advance(1000);
    const day = s / DAY_S;
    const room = roomC + 4 * Math.sin((2 * Math.PI * s) / DAY_S);
    // Fermentation heat rises over the first two days and fades by day six, °C per second on the beer.
    const yeast = day < 6 ? (0.6 / 3600) * Math.sin((Math.PI * day) / 6) : 0;
    const airHeat = applied.heat && mount === 'chamber' ? 0.01 : 0;
    c += (room - c) / (3 * 3600) + (b - c) / 1800 - (applied.cool ? 0.012 : 0) + airHeat;
    b += (c - b) / (8 * 3600) + yeast + (applied.heat && mount === 'vessel' ? 0.0004 : 0);
    beer.value = q(b);
    chamber.value = q(c);
    ambient.value = q(room);
    beer.at = chamber.at = ambient.at = frame.at = now;
    const r = guard.check(frame);
    const target = Math.min(30, Math.max(2, 18 - 6 * ((r.beer ?? 18) - 18)));
    const ch = r.chamber ?? target;
    if (ch > target + 0.5) request.cool = true;
    else if (ch < target) request.cool = false;
    if (mount === 'chamber' ? ch < target - 0.5 : (r.beer ?? 18) < 17.8) request.heat = true;
    else if (mount === 'chamber' ? ch > target : (r.beer ?? 18) > 18) request.heat = false;
    applied = guard.apply(request);
    if (applied.heat) onS.heat++;
    if (applied.cool) onS.cool++;
  }
  return { incidents, both, ms: performance.now() - started, beer: b, onS };
}

describe('fourteen days of ordinary fermentation', () => {
  it.each([
    ['chamber', 20],
    ['vessel', 15],
  ] as const)('%s heater, room %i °C: no incident, never both on, fast', (mount, roomC) => {
    const run = ferment(mount, roomC);
    expect(run.incidents.map((i) => i.code)).toEqual([]);
    expect(run.both).toBe(false);
    expect(run.onS.cool).toBeGreaterThan(DAY_S / 2);
    expect(run.onS.heat).toBeGreaterThan(3600);
    expect(Math.abs(run.beer - 18)).toBeLessThan(1.5);
    expect(run.ms).toBeLessThan(10_000);
  });
});
