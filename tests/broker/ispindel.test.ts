import { describe, expect, it } from 'vitest';
import { IspindelAssembler, parseIspindelTopic, readingFromHttp } from '../../broker/ispindel.js';
import {
  correctForTemperature,
  DeviceGravity,
  evaluatePolynomial,
  fitPolynomial,
  platoToSg,
  toSpecificGravity,
} from '../../broker/ispindel-gravity.js';

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
    expect(r).toMatchObject({ name: 'red', at: 5, angle: 52.3, battery: 4.02, rawGravity: 1.0481 });
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
    expect(a.accept('red', 'interval', '900', 3).rawGravity).toBe(1.05);
  });

  it('forgets a side value that turned bad, so a stale one does not ride with the next gravity', () => {
    const a = new IspindelAssembler();
    a.accept('red', 'battery', '4.01', 1);
    a.accept('red', 'temperature', '19.5', 1);
    expect(code(() => a.accept('red', 'battery', '5.1', 2))).toBe('COBREW_ERR_ISPINDEL_VALUE');
    expect(code(() => a.accept('red', 'temperature', '-127', 2))).toBe('COBREW_ERR_ISPINDEL_VALUE');
    const r = a.accept('red', 'gravity', '4.2', 3);
    expect(r.battery).toBeUndefined();
    expect(r.temperatureC).toBeUndefined();
    expect(r.rawGravity).toBe(4.2);
  });

  it('keeps hydrometers apart', () => {
    const a = new IspindelAssembler();
    a.accept('red', 'gravity', '1.040', 1);
    expect(a.accept('blue', 'tilt', '30', 2).rawGravity).toBeUndefined();
  });
});

describe('gravity units', () => {
  it('reads the gravity in the unit set for the iSpindel', () => {
    expect(toSpecificGravity('x', 1.012, 'sg')).toBe(1.012);
    expect(toSpecificGravity('x', 12, 'plato')).toBeCloseTo(1.0484, 3);
    // A beer finishing at 1 °P: SG 1.004, not 1.000.
    expect(toSpecificGravity('x', 1, 'plato')).toBeCloseTo(1.0039, 4);
    expect(() => toSpecificGravity('x', 12, 'sg')).toThrow(
      /outside 0.98…1.2 for an iSpindel set to `unit: sg`/,
    );
    expect(() => toSpecificGravity('x', 55, 'plato')).toThrow(/outside -2…40 °P/);
  });

  it('refuses, without a unit, a value that could be SG or °Plato, asking for the unit', () => {
    expect(() => toSpecificGravity('red', 1.012)).toThrow(
      /could be a specific gravity or °Plato; set `unit: sg` or `unit: plato` for "red"/,
    );
    expect(toSpecificGravity('red', 12)).toBeCloseTo(platoToSg(12), 12);
    expect(code(() => toSpecificGravity('x', 55))).toBe('COBREW_ERR_ISPINDEL_VALUE');
  });

  it('refuses the 0 the firmware sends when its formula fails, whatever the unit', () => {
    for (const unit of ['sg', 'plato', undefined] as const) {
      expect(() => toSpecificGravity('red', 0, unit)).toThrow(/sends 0 when its formula fails/);
    }
  });
});

describe('calibration and temperature correction', () => {
  it('fits the polynomial through calibration points', () => {
    // SG = 0.9 + 0.002·angle + 0.00003·angle², sampled at Fermentrack-like points.
    const truth = [0.9, 0.002, 0.00003];
    const points = [25, 35, 45, 55, 65].map((x) => ({ x, y: evaluatePolynomial(truth, x) }));
    const fitted = fitPolynomial(points, 2);
    fitted.forEach((c, i) => {
      expect(c).toBeCloseTo(truth[i] as number, 9);
    });
    // Two points make a line whatever degree is asked.
    expect(fitPolynomial(points.slice(0, 2), 3)).toHaveLength(2);
    expect(() =>
      fitPolynomial(
        [
          { x: 30, y: 1.01 },
          { x: 30, y: 1.02 },
        ],
        1,
      ),
    ).toThrow(/do not determine/);
  });

  it('takes the gravity from the angle when calibrated in cobrew, ignoring the gravity field', () => {
    const d = new DeviceGravity('red', {
      calibration: {
        points: [
          { angle: 25, gravity: 1.0 },
          { angle: 45, gravity: 1.04 },
          { angle: 65, gravity: 1.08 },
        ],
        degree: 1,
      },
    });
    expect(d.gravity({ angle: 35, rawGravity: 0 })).toBeCloseTo(1.02, 9);
    expect(d.gravity({ angle: 35 })).toBeCloseTo(1.02, 9);
    expect(d.gravity({})).toBeUndefined();
    expect(() => d.gravity({ angle: 10 })).toThrow(/the calibration gives SG 0.9700, outside/);
  });

  it('corrects for the hydrometer temperature', () => {
    // 1.050 read at 30 °C on a hydrometer true at 20 °C is 1.0525 (the usual tables).
    expect(correctForTemperature(1.05, 30, 20)).toBeCloseTo(1.0525, 3);
    expect(correctForTemperature(1.05, 20, 20)).toBe(1.05);
    const d = new DeviceGravity('red', { unit: 'sg', calibratedAtC: 20 });
    expect(d.gravity({ rawGravity: 1.05, temperatureC: 30 })).toBeCloseTo(1.0525, 3);
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
    expect(r).toEqual({
      name: 'red',
      at: 10,
      angle: 48.1,
      temperatureC: 19.5,
      battery: 3.9,
      rawGravity: 11.2,
      intervalS: 900,
      rssi: -71,
    });
  });

  it('drops a bad side value alone, naming it, and keeps the gravity', () => {
    const r = readingFromHttp({ ...body, battery: 5.1, RSSI: 31, temperature: -127 }, 10);
    expect(r.rawGravity).toBe(11.2);
    expect(r.battery).toBeUndefined();
    expect(r.rssi).toBeUndefined();
    expect(r.temperatureC).toBeUndefined();
    expect(r.dropped).toEqual([
      'temperatureC -127 is outside -20…60 °C; left out',
      'battery 5.1 is outside 2.5…5 V; left out',
      'rssi 31 is outside -130…0 dBm; left out',
    ]);
  });

  it('refuses a post with a missing or mistyped field, naming it', () => {
    const { gravity: _g, ...noGravity } = body;
    expect(() => readingFromHttp(noGravity, 1)).toThrow(/gravity: missing/);
    expect(() => readingFromHttp({ ...body, battery: 'full' }, 1)).toThrow(/battery: "full" is not allowed/);
  });
});
