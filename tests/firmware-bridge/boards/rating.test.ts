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
    expect(p?.supply.coilBudget).toBe(2);
    expect(p?.channels.ssr1).toMatchObject({ type: 'ssr', pin: 'D7', ratedA: 25, continuousA: 10 });
    expect(p?.channels.relay1).toMatchObject({ type: 'relay', pin: 'D8', resistiveA: 16, coilMA: 90 });
    expect(p?.outputs).toEqual({ heat: ['ssr1'], cool: ['relay1'] });
    expect(p?.oneWire).toEqual({ pin: 'D2', maxSensors: 8, maxCableM: 20 });
  });

  it('accepts a 300 W heater and a 150 W compressor, and a 2000 W heater (8.7 A) on the 10 A SSR at 230 V', () => {
    expect(checkRatings(realFermenter())).toEqual([]);
    expect(checkRatings(realFermenter({}, { heat: { loadW: 2000 } }))).toEqual([]);
  });

  it('refuses a 2500 W heater at 230 V: 10.9 A on an SSR whose heat sink carries 10 A', () => {
    const err = refused(() => assertRatings([realFermenter({}, { heat: { loadW: 2500 } })]));
    expect(err.code).toBe('COBREW_ERR_BOARD_RATING');
    expect(err.message).toContain('ale: outputs.heat.loadW: 2500 W at 230 V is 10.9 A');
    expect(err.message).toContain('carries 10 A continuously');
    expect(err.message).toContain('Fix: use a heater of at most 2300 W');
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

  it('counts three coils on a budget of two when the board does not interlock heat and cool itself', () => {
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
    expect(r?.rating).toContain('3 relay coils energised at once by heat and cool together');
    expect(r?.rating).toContain('coil budget of 2');
    expect(r?.fix).toContain('own supply');
    // The reference firmware never drives both: at most two coils at once.
    expect(checkRatings(realFermenter({ profile: 'custom', custom }))).toEqual([]);
  });

  it('lists every deviation from the reference it started from', () => {
    const config = realFermenter({
      profile: 'custom',
      custom: {
        supply: { coilBudget: 4 },
        channels: {
          relay1: { ...MODULE_RELAY, pin: 'D8', resistiveA: 30, motor: { fullLoadA: 10, lockedRotorA: 60 } },
        },
      },
    });
    const r = resolveProfile(config.board as RealBoardConfig);
    expect(r.modified).toBe(true);
    expect(r.deviations).toContain('supply.coilBudget: 2 → 4');
    expect(r.deviations).toContain('channels.relay1.resistiveA: 16 → 30');
    expect(r.deviations).toContain('channels.relay1.coilMA: 90 → 72');
    expect(resolveProfile(realFermenter().board as never)).toMatchObject({ modified: false, deviations: [] });
  });

  it('refuses custom without a declaration, and a declaration under a reference profile', () => {
    expect(checkRatings(realFermenter({ profile: 'custom' }))[0]?.key).toBe('board.custom');
    expect(checkRatings(realFermenter({ custom: { supply: { coilBudget: 3 } } }))[0]?.fix).toContain(
      'set board.profile: custom',
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
