import { describe, expect, it } from 'vitest';
import { COOL, OFF, Rig, safetyConfig, UNTIMED } from './rig.js';

describe('safety settings', () => {
  it('fills the guard-specific settings with their defaults', () => {
    expect(safetyConfig()).toMatchObject({
      faultSamples: 3,
      jumpMarginC: 0.5,
      identicalToleranceC: 0.1,
      swappedRatio: 2,
      heldMarginC: 2,
      autoRecover: { enabled: false, afterS: 300 },
    });
  });

  it('rejects settings that would disable a rule', () => {
    expect(() => safetyConfig({ faultSamples: 0 })).toThrow(/faultSamples/);
    expect(() => safetyConfig({ jumpMarginC: 0 })).toThrow(/jumpMarginC/);
    expect(() => safetyConfig({ heldMarginC: 0 })).toThrow(/heldMarginC/);
  });

  it('trips on the first implausible sample with faultSamples 1', () => {
    const rig = new Rig({ safety: { ...UNTIMED, faultSamples: 1 } });
    rig.chamber = 12;
    rig.run(3, COOL);
    rig.chamber = -127;
    expect(rig.tick(COOL)).toEqual(OFF);
    expect(rig.codes()).toEqual(['COBREW_ERR_SENSOR_DISCONNECTED']);
  });
});
