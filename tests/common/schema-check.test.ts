import { describe, expect, it } from 'vitest';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';

function message(value: unknown): string {
  try {
    checkFermenterConfig(value);
  } catch (e) {
    expect((e as { code?: string }).code).toBe('COBREW_ERR_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

const base = { id: 'ale', name: 'Ale', board: { type: 'sim' } };

describe('configuration errors', () => {
  it('fills every default from the schema', () => {
    const c = checkFermenterConfig(structuredClone(base));
    expect(c.safety.cool).toEqual({ minOnS: 180, minOffS: 300, maxOnS: 86_400 });
    expect(c.board).toMatchObject({ type: 'sim', volumeL: 20 });
    expect(c.control.mode).toBe('beer');
  });

  it('names the key path, the bad value and what is allowed', () => {
    const m = message({ ...base, safety: { cool: { minOnS: -3 } }, control: { mode: 'warp' } });
    expect(m).toContain('safety.cool.minOnS: -3 is not allowed; it must be >= 0');
    expect(m).toContain(
      'control.mode: "warp" is not allowed; use one of "off", "beer", "chamber", "profile"',
    );
  });

  it('names unknown keys so a typo is found', () => {
    expect(message({ ...base, sefety: {} })).toContain('sefety: unknown key');
  });

  it('reports only the branch of a tagged union that the tag selected', () => {
    const m = message({
      ...base,
      board: { type: 'sim', faults: [{ afterH: 1, fault: { kind: 'sensor-stuck', probe: 'fridge' } }] },
    });
    expect(m.trim().split('\n')).toHaveLength(2);
    expect(m).toContain(
      'board.faults[0].fault.probe: "fridge" is not allowed; use one of "beer", "chamber", "ambient"',
    );
  });

  it('says which types a plain union accepts', async () => {
    const { Type: T } = await import('@sinclair/typebox');
    const { schemaChecker } = await import('../../common/schema-check.js');
    const check = schemaChecker(T.Object({ beerC: T.Union([T.Number(), T.Null()]) }), 'State');
    expect(() => check({ beerC: 'warm' })).toThrow('beerC: "warm" is not allowed; it must be number or null');
  });

  it('lists the allowed tags once when none matches', () => {
    const m = message({
      ...base,
      board: { type: 'sim', faults: [{ afterH: 1, fault: { kind: 'lightning' } }] },
    });
    expect(m.trim().split('\n')).toHaveLength(2);
    expect(m).toMatch(/fault\.kind: "lightning" is not allowed; use one of "sensor-unplugged", .*"heatwave"/);
  });
});
