// The rating check refuses what would burn a board, names the rating and the fix, and lets through what fits.
import { describe, expect, it } from 'vitest';
import { assertBoardSetup, setupProblems } from '../../../firmware-bridge/boards/check.js';
import { REFERENCE_PROFILES } from '../../../firmware-bridge/boards/profiles.js';
import { assertRatings, checkRatings } from '../../../firmware-bridge/boards/rating.js';
import { resolveProfile } from '../../../firmware-bridge/boards/resolve.js';
import type { RealBoardConfig } from '../../../firmware-bridge/config-schema.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { MODULE_RELAY, realFermenter } from './helpers.js';

const refused = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err as Error & { code: string; refusals: unknown[] };
  }
  throw new Error('expected a refusal');
};

describe('the reference profile', () => {
  it('is a data file checked against the profile schema, with the reference board figures', () => {
    const p = REFERENCE_PROFILES.get('ref-uno-r1');
    expect(p?.reference).toBe(true);
    expect(p?.supply.coilBudgetMA).toBe(180);
    expect(p?.pinMA).toEqual({ recommended: 20, absolute: 40 });
    expect(p?.channels.ssr1).toMatchObject({
      type: 'ssr',
      pin: 'D7',
      ratedA: 25,
      heatSink: { cPerW: 2.5 },
      dropV: 1.5,
    });
    expect(p?.channels.relay1).toMatchObject({
      type: 'relay',
      pin: 'D8',
      resistiveA: 16,
      coilMA: 90,
      coilDrive: 'transistor',
    });
    expect(p?.outputs).toEqual({ heat: ['ssr1'], cool: ['relay1'] });
    expect(p?.oneWire).toEqual({ pin: 'D2', maxSensors: 8, maxCableM: 20 });
  });

  it('accepts a 300 W heater and a 150 W compressor, and a 2000 W heater (8.7 A) on the 10.7 A SSR at 230 V', () => {
    expect(checkRatings(realFermenter())).toEqual([]);
    expect(checkRatings(realFermenter({}, { heat: { loadW: 2000 } }))).toEqual([]);
  });

  it('refuses a 2500 W heater at 230 V: 10.9 A on an SSR whose heat sink carries 10.7 A', () => {
    const err = refused(() => assertRatings([realFermenter({}, { heat: { loadW: 2500 } })]));
    expect(err.code).toBe('COBREW_ERR_BOARD_RATING');
    expect(err.message).toContain('ale: outputs.heat.loadW: 2500 W at 230 V is 10.9 A');
    // (80 °C case − 40 °C air) / (1.5 V × 2.5 °C/W) = 10.67 A.
    expect(err.message).toContain('carries 10.7 A continuously (its 2.5 °C/W heat sink, 1.5 V dropped');
    expect(err.message).toContain('Fix: use a heater of at most 2453 W, fit a heat sink of at most 2.4 °C/W');
  });

  it('refuses a 2000 W heater at 120 V (16.7 A) on the same SSR', () => {
    const [r] = checkRatings(realFermenter({ mainsV: 120 }, { heat: { loadW: 2000 } }));
    expect(r?.rating).toContain('2000 W at 120 V is 16.7 A');
  });

  it('refuses a compressor whose start exceeds the relay motor rating, and names the contactor to add', () => {
    const [r] = checkRatings(realFermenter({}, { cool: { loadW: 600 } }));
    // 600 W / (230 V × 0.7) = 3.7 A running, 8 × that = 29.8 A at start > 29.4 A.
    expect(r).toMatchObject({ key: 'outputs.cool.loadW' });
    expect(r?.rating).toContain('runs at 3.7 A and starts at 29.8 A');
    expect(r?.fix).toContain('contactor rated for motors (AC-3');
    // The compressor's own nameplate LRA replaces the worst-case estimate.
    expect(checkRatings(realFermenter({}, { cool: { loadW: 600, lockedRotorA: 20 } }))).toEqual([]);
  });

  it('refuses compressor timings below what the board enforces, naming key, floor and fix, and takes them for a resistive cooler', () => {
    const unsafe = checkFermenterConfig({
      ...realFermenter(),
      safety: { cool: { minOffS: 0, minOnS: 10 }, interlockDeadS: 0 },
    });
    const err = refused(() => assertRatings([unsafe]));
    expect(err.code).toBe('COBREW_ERR_BOARD_RATING');
    expect(err.message).toContain(
      'ale: safety.cool.minOffS: 0 s is below the 300 s a compressor must stay off',
    );
    expect(err.message).toContain('ale: safety.cool.minOnS: 10 s is below the 60 s');
    expect(err.message).toContain('ale: safety.interlockDeadS: 0 s is below the 300 s');
    expect(err.message).toContain('Fix: set safety.cool.minOffS to 300 or more');
    const peltier = checkFermenterConfig({
      ...unsafe,
      outputs: { ...unsafe.outputs, cool: { loadW: 60, kind: 'resistive' } },
    });
    expect(checkRatings(peltier).map((r) => r.key)).toEqual([]);
  });

  it('flags a custom board that declares no thermal cut-out in series with the heater', () => {
    expect(REFERENCE_PROFILES.get('ref-uno-r1')?.heaterCutOut).toBe(true);
    const r = resolveProfile(
      realFermenter({ profile: 'custom', custom: { heaterCutOut: false } }).board as never,
    );
    expect(r.modified).toBe(true);
    expect(r.deviations).toEqual([expect.stringContaining('no thermal cut-out in series with the heater')]);
  });

  it('requires every enabled output to declare its load, and ignores a disabled one', () => {
    const r = checkRatings(realFermenter({}, { heat: { loadW: undefined } }));
    expect(r.map((x) => x.key)).toEqual(['outputs.heat.loadW']);
    expect(r[0]?.fix).toContain("heater's nameplate watts");
    expect(checkRatings(realFermenter({}, { heat: { loadW: undefined, enabled: false } }))).toEqual([]);
  });

  it('refuses more probes than the bus takes and a longer cable than it is good for', () => {
    const r = checkRatings(realFermenter({ oneWireCableM: 35 }));
    expect(r.map((x) => x.key)).toEqual(['board.oneWireCableM']);
    expect(r[0]?.rating).toContain('good for 20 m');
  });
});

describe('custom (modified) boards', () => {
  it('refuses a compressor moved to a relay module channel without a motor rating', () => {
    const config = realFermenter({
      profile: 'custom',
      custom: { channels: { relay1: { ...MODULE_RELAY, pin: 'D8' } } },
    });
    const [r] = checkRatings(config);
    expect(r?.key).toBe('outputs.cool.kind');
    expect(r?.rating).toContain('has no motor rating: locked-rotor current welds such contacts');
    expect(r?.fix).toContain('add a contactor rated for motors (AC-3');
  });

  it('refuses a 2000 W heater at 120 V moved to a 10 A relay, pointing to the SSR channel', () => {
    const config = realFermenter(
      {
        profile: 'custom',
        mainsV: 120,
        custom: { channels: { relay2: { ...MODULE_RELAY, pin: 'D7' } }, outputs: { heat: ['relay2'] } },
      },
      { heat: { loadW: 2000 } },
    );
    const [r] = checkRatings(config);
    expect(r?.rating).toContain('2000 W at 120 V is 16.7 A');
    expect(r?.rating).toContain('rated 10 A resistive');
    expect(r?.fix).toContain('use the SSR channel');
  });

  it('refuses a compressor on the SSR', () => {
    const config = realFermenter({ profile: 'custom', custom: { outputs: { cool: ['ssr1'] } } });
    expect(checkRatings(config)[0]?.rating).toContain('a zero-cross SSR is for resistive loads only');
  });

  it('counts three coils (234 mA) on a 180 mA budget when the board does not interlock heat and cool itself', () => {
    const custom = {
      channels: { relay2: { ...MODULE_RELAY, pin: 'D7' }, relay3: { ...MODULE_RELAY, pin: 'D6' } },
      // The heater switched on both poles (live and neutral).
      outputs: { heat: ['relay2', 'relay3'] },
    };
    const firmata = checkFermenterConfig({
      ...realFermenter(),
      board: { type: 'firmata', port: '/dev/ttyUSB0', mainsV: 230, profile: 'custom', custom },
    });
    const [r] = checkRatings(firmata);
    expect(r?.key).toBe('board.profile');
    expect(r?.rating).toContain('234 mA of relay coils energised at once by heat and cool together');
    expect(r?.rating).toContain('coil budget of 180 mA');
    expect(r?.fix).toContain('own supply');
    // The reference firmware never drives both: at most two coils at once.
    expect(checkRatings(realFermenter({ profile: 'custom', custom }))).toEqual([]);
  });

  it('lists every deviation from the reference it started from', () => {
    const config = realFermenter({
      profile: 'custom',
      custom: {
        supply: { coilBudgetMA: 400 },
        channels: {
          relay1: { ...MODULE_RELAY, pin: 'D8', resistiveA: 30, motor: { fullLoadA: 10, lockedRotorA: 60 } },
        },
      },
    });
    const r = resolveProfile(config.board as RealBoardConfig);
    expect(r.modified).toBe(true);
    expect(r.deviations).toContain('supply.coilBudgetMA: 180 → 400');
    expect(r.deviations).toContain('channels.relay1.resistiveA: 16 → 30');
    expect(r.deviations).toContain('channels.relay1.coilMA: 90 → 72');
    expect(resolveProfile(realFermenter().board as never)).toMatchObject({ modified: false, deviations: [] });
  });

  it('refuses custom without a declaration, and a declaration under a reference profile', () => {
    expect(checkRatings(realFermenter({ profile: 'custom' }))[0]?.key).toBe('board.custom');
    expect(checkRatings(realFermenter({ custom: { supply: { coilBudgetMA: 270 } } }))[0]?.fix).toContain(
      'set board.profile: custom',
    );
  });
});

describe('SSR heat sinks, relay coils and load kinds', () => {
  const ssr = (heatSink: unknown, over: Record<string, unknown> = {}) => ({
    type: 'ssr',
    pin: 'D7',
    part: 'zero-cross SSR 25 A',
    ratedA: 25,
    maxVac: 380,
    dropV: 1.5,
    maxCaseC: 80,
    caseToAirCPerW: 12,
    heatSink,
    ambientC: 40,
    surgeA: 250,
    ...over,
  });
  const withSsr = (channel: unknown, outputs: Record<string, unknown> = {}) =>
    realFermenter({ profile: 'custom', custom: { channels: { ssr1: channel } } }, outputs);

  it('works out an SSR without a heat sink from its bare body: 2.2 A, so a 600 W heater is refused', () => {
    const [r] = checkRatings(withSsr(ssr('none'), { heat: { loadW: 600 } }));
    // (80 − 40) / (1.5 × 12) = 2.2 A; 600 W at 230 V is 2.6 A.
    expect(r).toMatchObject({ key: 'outputs.heat.loadW' });
    expect(r?.rating).toContain('carries 2.2 A continuously (no heat sink: its bare body sheds 12 °C/W');
    expect(r?.fix).toContain('fit a heat sink of at most 10.2 °C/W');
    expect(checkRatings(withSsr(ssr('none'), { heat: { loadW: 400 } }))).toEqual([]);
  });

  it('derates with a hotter enclosure, and never goes past the SSR\u2019s own rating with a big heat sink', () => {
    const hot = ssr({ cPerW: 2.5, part: 'sink' }, { ambientC: 55 });
    // (80 − 55) / (1.5 × 2.5) = 6.7 A: a 2000 W heater (8.7 A) no longer fits.
    expect(checkRatings(withSsr(hot, { heat: { loadW: 2000 } }))[0]?.rating).toContain('carries 6.7 A');
    const huge = ssr({ cPerW: 0.3, part: 'fan-cooled sink' }, { ratedA: 10 });
    const [r] = checkRatings(withSsr(huge, { heat: { loadW: 2500 } }));
    expect(r?.rating).toContain('carries 10.0 A continuously');
    expect(r?.rating).toContain('capped at its 10 A rating');
  });

  it('refuses a relay coil driven straight from a pin beyond the pin\u2019s limit, and takes a small one', () => {
    const onPin = {
      ...MODULE_RELAY,
      pin: 'D8',
      coilDrive: 'pin',
      motor: { fullLoadA: 4.9, lockedRotorA: 29.4 },
    };
    const [r] = checkRatings(realFermenter({ profile: 'custom', custom: { channels: { relay1: onPin } } }));
    expect(r?.key).toBe('board.custom.channels.relay1.coilDrive');
    expect(r?.rating).toContain(
      'coil draws 72 mA straight from pin D8, which gives 20 mA (40 mA absolute maximum, exceeded',
    );
    expect(r?.fix).toContain('through a transistor with a flyback diode');
    const reed = { ...onPin, coilMA: 15 };
    expect(
      checkRatings(realFermenter({ profile: 'custom', custom: { channels: { relay1: reed } } })),
    ).toEqual([]);
  });

  it('counts coil milliamperes against the supply: a 200 mA coil on the reference supply is refused', () => {
    const big = { ...MODULE_RELAY, pin: 'D8', coilMA: 200, motor: { fullLoadA: 4.9, lockedRotorA: 29.4 } };
    const [r] = checkRatings(realFermenter({ profile: 'custom', custom: { channels: { relay1: big } } }));
    expect(r?.key).toBe('board.profile');
    expect(r?.rating).toContain(
      '200 mA of relay coils energised at once by one output, on a coil budget of 180 mA',
    );
  });

  it('checks a heat lamp\u2019s cold-filament inrush against the SSR\u2019s surge rating', () => {
    // 250 W at 230 V = 1.1 A running, 15 × = 16.3 A at switch-on: well inside 125 A.
    expect(checkRatings(realFermenter({}, { heat: { loadW: 250, kind: 'lamp' } }))).toEqual([]);
    const small = ssr({ cPerW: 2.5, part: 'sink' }, { surgeA: 25 });
    const [r] = checkRatings(withSsr(small, { heat: { loadW: 250, kind: 'lamp' } }));
    expect(r?.key).toBe('outputs.heat.kind');
    expect(r?.rating).toContain('a lamp that draws 16.3 A at switch-on (15 × running: a cold filament');
    expect(r?.rating).toContain('takes 12.5 A at every switch-on (half its 25 A one-cycle surge rating)');
  });

  it('refuses a lamp or a power supply on a relay without inrush or motor rating, and takes a declared rating', () => {
    const module = { ...MODULE_RELAY, pin: 'D7' };
    const onRelay = (relay: unknown, heat: Record<string, unknown>) =>
      realFermenter(
        { profile: 'custom', custom: { channels: { relay2: relay }, outputs: { heat: ['relay2'] } } },
        { heat },
      );
    const [lamp] = checkRatings(onRelay(module, { loadW: 150, kind: 'lamp' }));
    expect(lamp?.rating).toContain('has no inrush or motor rating');
    const [psu] = checkRatings(onRelay(module, { loadW: 60, kind: 'power-supply' }));
    expect(psu?.rating).toContain(
      "a power supply that draws 60.0 A at switch-on (a small supply's capacitor surge",
    );
    const rated = { ...module, inrushA: 80 };
    expect(checkRatings(onRelay(rated, { loadW: 60, kind: 'power-supply' }))).toEqual([]);
    expect(checkRatings(onRelay(rated, { loadW: 150, kind: 'lamp', inrushA: 30 }))).toEqual([]);
    const [big] = checkRatings(onRelay(rated, { loadW: 600, kind: 'lamp' }));
    // 600 W: 2.6 A running, 39.1 A cold: inside 80 A; 1500 W is 97.8 A.
    expect(big).toBeUndefined();
    expect(checkRatings(onRelay(rated, { loadW: 1500, kind: 'lamp' }))[0]?.rating).toContain(
      'makes 80.0 A at most (its inrush rating)',
    );
  });
});

describe('set-up checks', () => {
  it('refuses two fermenters on one port and a real board at simulation speed', () => {
    const a = realFermenter();
    const b = { ...realFermenter(), id: 'lager' };
    expect(setupProblems([a, b], { speed: 1 }).join()).toContain('already the board of ale');
    expect(setupProblems([a], { speed: 60 }).join()).toContain('set sim.speed to 1');
    const err = refused(() => assertBoardSetup([a, b], { speed: 1 }));
    expect(err.code).toBe('COBREW_ERR_BOARD_SETUP');
    expect(() => assertBoardSetup([a], { speed: 1 })).not.toThrow();
  });

  it('leaves simulated boards alone', () => {
    const sim = checkFermenterConfig({ id: 'sim', name: 'Sim', board: { type: 'sim' } });
    expect(checkRatings(sim)).toEqual([]);
    expect(setupProblems([sim], { speed: 600 })).toEqual([]);
  });
});
