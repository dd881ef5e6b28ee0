import { describe, expect, it } from 'vitest';
import { ThermostatController } from '../../../bench/baselines/thermostat.js';
import type { ControlOutput, ControlTarget } from '../../../firmware-bridge/types.js';
import { beer, chamber, FridgePlant, inputAt, runClosedLoop, runLengths } from './fridge-plant.js';

/** Feeds one probe value per second from second `from`; the other probe reads 99 °C to prove it is ignored. */
function feed(c: ThermostatController, from: number, target: ControlTarget, values: Array<number | null>) {
  return values.map((v, k): ControlOutput => {
    const onChamber = target.mode === 'chamber';
    return c.step(inputAt(from + k, target, onChamber ? 99 : v, onChamber ? v : 99));
  });
}

describe('thermostat (ITC-308 style)', () => {
  it('cools from setpoint + 0.5 down to the setpoint, heats from setpoint − 0.5 up to the setpoint', () => {
    const c = new ThermostatController();
    const values = [18.4, 18.5, 18.2, 18.01, 18.0, 17.6, 17.5, 17.9, 17.99, 18.0, 18.3];
    const states = feed(c, 0, beer(18), values).map((o) => o.state);
    expect(states).toEqual([
      'idle',
      'cooling',
      'cooling',
      'cooling',
      'idle',
      'idle',
      'heating',
      'heating',
      'heating',
      'idle',
      'idle',
    ]);
  });

  it('keeps the compressor off for 180 s after it stopped', () => {
    const c = new ThermostatController();
    feed(c, 0, beer(18), [19, 18]);
    const again = feed(c, 2, beer(18), Array(200).fill(18.6));
    // Cooling stopped at second 1; it may start again from second 181.
    for (const [k, o] of again.entries()) {
      const t = k + 2;
      expect(o.request.cool).toBe(t >= 181);
      expect(o.state).toBe(t >= 181 ? 'cooling' : 'waiting-to-cool');
    }
  });

  it('has no compressor delay at power-on', () => {
    const c = new ThermostatController();
    expect(feed(c, 0, beer(18), [19])[0]?.request.cool).toBe(true);
  });

  it('in chamber mode switches on the chamber probe', () => {
    const c = new ThermostatController();
    const [cool, idle] = feed(c, 0, chamber(10), [10.6, 10]);
    expect(cool?.request.cool).toBe(true);
    expect(cool?.chamberTargetC).toBe(10);
    expect(idle?.request.cool).toBe(false);
  });

  it('switches everything off on a lost probe, and counts the compressor delay from then', () => {
    const c = new ThermostatController();
    const [cooling, lost, heatLost] = feed(c, 0, beer(18), [19, null, null]);
    expect(cooling?.request.cool).toBe(true);
    expect(lost).toEqual({
      request: { heat: false, cool: false },
      chamberTargetC: null,
      state: 'sensor-fault',
    });
    expect(heatLost?.request.heat).toBe(false);
    expect(feed(c, 3, beer(18), [19])[0]?.state).toBe('waiting-to-cool');
    expect(feed(c, 181, beer(18), [19])[0]?.request.cool).toBe(true);
  });

  it('mode off: everything off', () => {
    const c = new ThermostatController();
    feed(c, 0, beer(18), [17]);
    expect(c.step(inputAt(1, { mode: 'off' }, 17, 17))).toEqual({
      request: { heat: false, cool: false },
      chamberTargetC: null,
      state: 'off',
    });
  });

  it('never heats and cools together, in closed loop with moving targets and noise', () => {
    const c = new ThermostatController();
    const plant = new FridgePlant({ roomC: 16, chamberC: 16, beerC: 16, noiseC: 0.1, seed: 9 });
    const heat: boolean[] = [];
    const cool: boolean[] = [];
    let both = 0;
    const target = (t: number) =>
      Math.floor(t / 7200) % 3 === 2 ? chamber(8) : beer(Math.floor(t / 7200) % 2 ? 12 : 20);
    runClosedLoop(c, plant, 2 * 86400, target, ({ out }) => {
      heat.push(out.request.heat);
      cool.push(out.request.cool);
      if (out.request.heat && out.request.cool) both++;
    });
    expect(both).toBe(0);
    const k = runLengths(cool);
    expect(runLengths(heat).on.length).toBeGreaterThan(3);
    expect(k.on.length).toBeGreaterThan(3);
    expect(Math.min(...k.off)).toBeGreaterThanOrEqual(180);
  });
});
