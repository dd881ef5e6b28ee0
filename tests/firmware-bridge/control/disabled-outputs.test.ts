// A fermenter with one output not fitted (`outputs.<name>.enabled: false`): the controller must never ask for
// it, and must say so instead of showing a state the hardware cannot be in.
import { describe, expect, it } from 'vitest';
import { CascadeController } from '../../../firmware-bridge/control/cascade.js';
import type { GuardTiming } from '../../../firmware-bridge/safety/guard.js';
import type { ControlOutput, Outputs, TimingLimits } from '../../../firmware-bridge/types.js';
import { H, mean, runRig } from './sim-rig.js';

const T0 = Date.UTC(2026, 0, 1);
const limits = (enabled?: Outputs): TimingLimits => ({
  heat: { minOnS: 60, minOffS: 60, maxOnS: 4 * H },
  cool: { minOnS: 180, minOffS: 300, maxOnS: 24 * H },
  interlockDeadS: 600,
  ...(enabled && { enabled }),
});

/** A bare controller in chamber mode (target 18) fed scripted chamber readings; `applied` echoes the request. */
function drive(
  enabled: Outputs | undefined,
  seconds: number,
  chamberAt: (s: number) => number,
): ControlOutput[] {
  const c = new CascadeController(limits(enabled));
  const outs: ControlOutput[] = [];
  let applied: Outputs = { heat: false, cool: false };
  for (let s = 0; s < seconds; s++) {
    const out = c.step({
      now: T0 + s * 1000,
      readings: { at: T0 + s * 1000, beer: null, chamber: chamberAt(s), ambient: 20 },
      target: { mode: 'chamber', chamberC: 18 },
      applied,
    });
    outs.push(out);
    applied = out.request;
  }
  return outs;
}

describe('disabled outputs, bare controller', () => {
  it('accepts the guard’s timing as its limits', () => {
    const timing: GuardTiming = { ...limits(), enabled: { heat: true, cool: false } };
    const asLimits: TimingLimits = timing;
    expect(asLimits.enabled?.cool).toBe(false);
  });

  it('never asks for a disabled compressor, and says it cannot cool', () => {
    const outs = drive({ heat: true, cool: false }, 2 * H, () => 25);
    expect(outs.some((o) => o.request.cool)).toBe(false);
    expect(outs.at(-1)?.state).toBe('cannot-cool');
    // The same demand with the compressor fitted does cool (the test can fail).
    expect(drive(undefined, 2 * H, () => 25).some((o) => o.request.cool)).toBe(true);
  });

  it('never asks for a disabled heater, and says it cannot heat', () => {
    const outs = drive({ heat: false, cool: true }, 2 * H, () => 10);
    expect(outs.some((o) => o.request.heat)).toBe(false);
    expect(outs.at(-1)?.state).toBe('cannot-heat');
  });

  it('heats at once when the room turns cold after hours of unmet cooling demand', () => {
    // Three hours too warm (nothing to do), then too cold: no stored cooling demand may delay the heater.
    const outs = drive({ heat: true, cool: false }, 4 * H, (s) => (s < 3 * H ? 25 : 15));
    const firstHeat = outs.findIndex((o) => o.request.heat);
    expect(firstHeat).toBeGreaterThan(3 * H);
    expect(firstHeat).toBeLessThan(3 * H + 300);
  });
});

describe('disabled outputs on the simulator', () => {
  it.each(['chamber', 'vessel'] as const)(
    'a heating-only fermenter (%s heater) in a warm room idles and says it cannot cool',
    (heaterMount) => {
      const run = runRig({
        control: { mode: 'beer', beerSetpointC: 18 },
        board: { heaterMount, startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
        outputs: { cool: { enabled: false } },
        roomC: 24,
        hours: 12,
      });
      expect(run.samples.some((s) => s.requested.cool)).toBe(false);
      expect(run.samples.some((s) => s.requested.heat)).toBe(false);
      expect(run.samples.find((s) => s.requested.heat !== s.applied.heat)).toBeUndefined();
      expect(run.samples.at(-1)?.state).toBe('cannot-cool');
      expect(run.incidents).toEqual([]);
    },
  );

  it.each(['chamber', 'vessel'] as const)(
    'a heating-only fermenter (%s heater) in a cold room holds its target',
    (heaterMount) => {
      const run = runRig({
        control: { mode: 'beer', beerSetpointC: 18 },
        board: { heaterMount, startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
        outputs: { cool: { enabled: false } },
        roomC: 10,
        hours: 24,
      });
      expect(run.samples.some((s) => s.requested.cool)).toBe(false);
      expect(run.samples.find((s) => s.requested.heat !== s.applied.heat)).toBeUndefined();
      const tail = run.samples.filter((s) => s.tS > 8 * H).map((s) => s.beerC);
      expect(Math.abs(mean(tail) - 18)).toBeLessThan(0.05);
      expect(run.incidents).toEqual([]);
    },
  );

  it('a cooling-only fermenter in a cold room never heats and says it cannot', () => {
    const run = runRig({
      control: { mode: 'beer', beerSetpointC: 18 },
      board: { startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
      outputs: { heat: { enabled: false } },
      roomC: 8,
      hours: 12,
    });
    expect(run.samples.some((s) => s.requested.heat)).toBe(false);
    expect(run.samples.at(-1)?.state).toBe('cannot-heat');
    expect(run.incidents).toEqual([]);
  });
});
