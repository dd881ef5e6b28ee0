import { describe, expect, it } from 'vitest';
import {
  IspindelAssembler,
  parseIspindelTopic,
  readingFromHttp,
  toSpecificGravity,
} from '../../broker/ispindel.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('iSpindel MQTT topics', () => {
  it('knows its seven keys and nothing else', () => {
    expect(parseIspindelTopic('ispindel/red/gravity')).toEqual({ name: 'red', key: 'gravity' });
    expect(parseIspindelTopic('ispindel/red/RSSI')).toEqual({ name: 'red', key: 'RSSI' });
    expect(parseIspindelTopic('ispindel/red/rssi')).toBeNull();
    expect(parseIspindelTopic('ispindel//gravity')).toBeNull();
    expect(parseIspindelTopic('ispindel/red/x/gravity')).toBeNull();
    expect(parseIspindelTopic('cobrew/red/gravity')).toBeNull();
  });
});

describe('IspindelAssembler', () => {
  it('merges one value per topic into a reading in cobrew units', () => {
    const a = new IspindelAssembler();
    a.accept('red', 'tilt', '52.3', 1);
    a.accept('red', 'temperature', '64.4', 2);
    a.accept('red', 'temp_units', 'F', 3);
    a.accept('red', 'battery', '4.02', 4);
    const r = a.accept('red', 'gravity', '1.0481', 5);
    expect(r).toMatchObject({ name: 'red', at: 5, angle: 52.3, battery: 4.02, gravity: 1.0481 });
    expect(r.temperatureC).toBeCloseTo(18, 9);
  });

  it('refuses malformed values with a reason, and never turns them into zero', () => {
    const a = new IspindelAssembler();
    a.accept('red', 'gravity', '1.050', 1);
    for (const bad of ['', '  ', 'nan', '1.05abc', 'null']) {
      expect(code(() => a.accept('red', 'gravity', bad, 2))).toBe('COBREW_ERR_ISPINDEL_VALUE');
    }
    expect(code(() => a.accept('red', 'battery', '12', 2))).toBe('COBREW_ERR_ISPINDEL_VALUE');
    expect(code(() => a.accept('red', 'temp_units', 'X', 2))).toBe('COBREW_ERR_ISPINDEL_VALUE');
    expect(() => a.accept('red', 'tilt', '95', 2)).toThrow(/tilt = 95: outside 0…90°/);
    // The last good gravity is kept.
    expect(a.accept('red', 'interval', '900', 3).gravity).toBe(1.05);
  });

  it('keeps hydrometers apart', () => {
    const a = new IspindelAssembler();
    a.accept('red', 'gravity', '1.040', 1);
    expect(a.accept('blue', 'tilt', '30', 2).gravity).toBeUndefined();
  });
});

describe('gravity units', () => {
  it('takes SG as is and converts °Plato', () => {
    expect(toSpecificGravity('x', 1.012)).toBe(1.012);
    expect(toSpecificGravity('x', 12)).toBeCloseTo(1.0484, 3);
    expect(code(() => toSpecificGravity('x', 55))).toBe('COBREW_ERR_ISPINDEL_VALUE');
  });
});

describe('iSpindel HTTP post', () => {
  const body = {
    name: 'red',
    ID: 1234567,
    angle: 48.1,
    temperature: 19.5,
    temp_units: 'C',
    battery: 3.9,
    gravity: 11.2,
    interval: 900,
    RSSI: -71,
  };

  it('turns a post into a reading', () => {
    const r = readingFromHttp(body, 10);
    expect(r).toMatchObject({
      name: 'red',
      angle: 48.1,
      temperatureC: 19.5,
      battery: 3.9,
      intervalS: 900,
      rssi: -71,
    });
    expect(r.gravity).toBeCloseTo(1.0451, 3);
  });

  it('refuses a post with a missing or mistyped field, naming it', () => {
    const { gravity: _g, ...noGravity } = body;
    expect(() => readingFromHttp(noGravity, 1)).toThrow(/gravity: missing/);
    expect(() => readingFromHttp({ ...body, battery: 'full' }, 1)).toThrow(/battery: "full" is not allowed/);
  });
});
