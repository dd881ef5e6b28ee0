// The rules core on a manual clock: each rule raises once, clears when its cause is gone, and stays quiet
// when it should (a ramp getting closer, a trip explaining the temperature).
import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../alerts/rules.js';
import { ManualClock } from '../../common/clock.js';
import { sampleState } from '../broker/helpers.js';
import { alertsSettings } from './helpers.js';

const MIN = 60_000;
const engine = (patch: Record<string, unknown> = {}) => {
  const clock = new ManualClock();
  return { clock, rules: new RuleEngine(alertsSettings({ rules: patch }).rules, clock) };
};
const kinds = (t: ReturnType<RuleEngine['tick']>) =>
  t.map((x) => (x.type === 'raise' ? `+${x.condition.key}` : `-${x.key}`));
const incident = (code: string, severity: 'trip' | 'alarm' = 'trip') => ({
  id: 1,
  fermenterId: 'ale',
  code: code as `COBREW_ERR_${string}`,
  severity,
  at: 0,
  message: 'probe unplugged',
  context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
});

describe('alert rules', () => {
  it('raises a trip once from its incident and clears it when the state no longer carries it', () => {
    const { rules } = engine();
    expect(kinds(rules.onIncident(incident('COBREW_ERR_PROBE_LOST')))).toEqual([
      '+trip:ale:COBREW_ERR_PROBE_LOST',
    ]);
    const tripped = sampleState('ale', {
      safety: { status: 'tripped', trips: ['COBREW_ERR_PROBE_LOST'], alarms: [] },
    });
    expect(kinds(rules.onState(tripped))).toEqual([]);
    expect(kinds(rules.onIncident(incident('COBREW_ERR_PROBE_LOST')))).toEqual([]);
    expect(kinds(rules.onState(sampleState('ale')))).toEqual(['-trip:ale:COBREW_ERR_PROBE_LOST']);
  });

  it('raises a trip seen only in a state (heard before the alerts started) at critical severity', () => {
    const { rules } = engine();
    const out = rules.onState(
      sampleState('ale', {
        safety: { status: 'tripped', trips: ['COBREW_ERR_X'], alarms: ['COBREW_ERR_Y'] },
      }),
    );
    expect(out.map((t) => (t.type === 'raise' ? [t.condition.kind, t.condition.severity] : null))).toEqual([
      ['trip', 'critical'],
      ['alarm', 'warning'],
    ]);
  });

  it('calls a fermenter offline on its availability or after offlineAfterS without a state, and online again', () => {
    const { rules, clock } = engine({ offlineAfterS: 60 });
    rules.onState(sampleState('ale'));
    expect(kinds(rules.onAvailability('ale', false))).toEqual(['+offline:ale']);
    expect(kinds(rules.onState(sampleState('ale')))).toEqual([]);
    expect(kinds(rules.onAvailability('ale', true))).toEqual(['-offline:ale']);
    rules.onState(sampleState('ale'));
    clock.advance(59_000);
    expect(kinds(rules.tick())).toEqual([]);
    clock.advance(1000);
    expect(kinds(rules.tick())).toEqual(['+offline:ale']);
    expect(kinds(rules.onState(sampleState('ale')))).toEqual(['-offline:ale']);
  });

  it('raises out-of-band after its delay, not while the beer gets closer, not under a trip', () => {
    const { rules, clock } = engine({ outOfBand: { minutes: 30, bandC: 1 } });
    // A ramp: 4 °C off but 0.5 °C closer every 20 minutes, for two hours: no alert.
    for (let i = 0; i < 6; i++) {
      expect(kinds(rules.onState(sampleState('ale', { beerC: 22 - i * 0.5, beerSetpointC: 18 })))).toEqual(
        [],
      );
      clock.advance(20 * MIN);
    }
    // Stuck 1.5 °C off since the last step of the ramp (20 minutes ago): the alert comes at 30 minutes.
    expect(kinds(rules.onState(sampleState('ale', { beerC: 19.6, beerSetpointC: 18 })))).toEqual([]);
    clock.advance(9 * MIN);
    expect(kinds(rules.onState(sampleState('ale', { beerC: 19.6, beerSetpointC: 18 })))).toEqual([]);
    clock.advance(MIN);
    expect(kinds(rules.onState(sampleState('ale', { beerC: 19.6, beerSetpointC: 18 })))).toEqual([
      '+out-of-band:ale',
    ]);
    expect(kinds(rules.onState(sampleState('ale', { beerC: 18.5, beerSetpointC: 18 })))).toEqual([
      '-out-of-band:ale',
    ]);
    // Under a trip: the trip explains it.
    rules.onIncident(incident('COBREW_ERR_COMPRESSOR'));
    const tripped = {
      safety: { status: 'tripped' as const, trips: ['COBREW_ERR_COMPRESSOR' as const], alarms: [] },
      beerC: 25,
      beerSetpointC: 18,
    };
    rules.onState(sampleState('ale', tripped));
    clock.advance(60 * MIN);
    expect(kinds(rules.onState(sampleState('ale', tripped)))).toEqual([]);
  });

  it('tells a modified board starting, board resets and failsafes', () => {
    const { rules } = engine();
    const board = {
      kind: 'cobrew',
      profile: 'custom',
      modified: true,
      deviations: ['SSR 40 A'],
      connected: true,
    };
    expect(kinds(rules.onState(sampleState('ale', { board })))).toEqual(['+board-modified:ale']);
    expect(kinds(rules.onState(sampleState('ale', { board })))).toEqual([]);
    expect(kinds(rules.onState(sampleState('ale', { board: { ...board, connected: false } })))).toEqual([
      '-board-modified:ale',
    ]);
    const reset = rules.onBoard('ale', { kind: 'board-reset', detail: 'brown-out' });
    expect(reset.map((t) => t.type)).toEqual(['raise', 'clear']);
  });

  it('hydrometer: stable gravity is done, stable far above the final gravity is stuck, silence and battery', () => {
    const { rules, clock } = engine({
      hydrometer: { stableHours: 12, silentHours: 2, finalGravity: { lager: 1.01 } },
    });
    const raised: string[] = [];
    for (let h = 0; h <= 13 * 12; h++) {
      const sg = h < 12 ? 1.05 - h * 0.001 : 1.038;
      raised.push(...kinds(rules.onState(sampleState('ale', { gravity: sg, hydrometerBatteryV: 3.9 }))));
      raised.push(...kinds(rules.onState(sampleState('lager', { gravity: sg, hydrometerBatteryV: 3.9 }))));
      clock.advance(5 * MIN);
    }
    expect(raised).toEqual(['+fermentation-done:ale', '+fermentation-stuck:lager']);
    // The bridge drops a gravity two hours old: the hydrometer went silent.
    clock.advance(2 * 60 * MIN);
    expect(kinds(rules.onState(sampleState('ale', { gravity: null, hydrometerBatteryV: null })))).toEqual([
      '+hydrometer-silent:ale',
    ]);
    expect(kinds(rules.tick())).toEqual(['+offline:lager']);
    expect(kinds(rules.onState(sampleState('ale', { gravity: 1.037, hydrometerBatteryV: 3.4 })))).toEqual([
      '+battery-low:ale',
      '-hydrometer-silent:ale',
      '-fermentation-done:ale',
    ]);
  });

  it("the space's health: raised while failing, cleared when it recovers", () => {
    const { rules } = engine();
    expect(kinds(rules.onHealth('disk', true, '2 % free'))).toEqual(['+space:disk']);
    expect(kinds(rules.onHealth('disk', true, '2 % free'))).toEqual([]);
    expect(kinds(rules.onHealth('disk', false, '20 % free'))).toEqual(['-space:disk']);
  });
});
