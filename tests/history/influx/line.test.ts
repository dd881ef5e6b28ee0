// A reading as line protocol: measurement, tags, float fields and a millisecond timestamp.
import { describe, expect, it } from 'vitest';
import { readingToLine } from '../../../history/influx/line.js';

const at = Date.UTC(2026, 10, 21, 12);

describe('readingToLine', () => {
  it('writes tags, every field as a float (sorted), and the time in ms', () => {
    const line = readingToLine(
      { fermenterId: 'ale', at, fields: { chamberC: 16.5, beerC: 18.52, heat: 1, cool: 0, gravity: 1.0423 } },
      'atelier',
    );
    expect(line).toBe(
      `fermenter,fermenter=ale,space=atelier beerC=18.52,chamberC=16.5,cool=0,gravity=1.0423,heat=1 ${at}`,
    );
  });

  it('escapes a space name with blanks, commas and equals signs', () => {
    expect(readingToLine({ fermenterId: 'ale', at, fields: { beerC: 18 } }, 'La Cuverie, Lyon=1')).toBe(
      `fermenter,fermenter=ale,space=La\\ Cuverie\\,\\ Lyon\\=1 beerC=18 ${at}`,
    );
  });

  it('leaves out values line protocol cannot carry, and rounds the time to the millisecond', () => {
    expect(
      readingToLine({ fermenterId: 'ale', at: at + 0.6, fields: { beerC: Number.NaN, chamberC: 3 } }, 's'),
    ).toBe(`fermenter,fermenter=ale,space=s chamberC=3 ${at + 1}`);
    expect(readingToLine({ fermenterId: 'ale', at, fields: { beerC: Number.POSITIVE_INFINITY } }, 's')).toBe(
      undefined,
    );
    expect(readingToLine({ fermenterId: 'ale', at, fields: {} }, 's')).toBe(undefined);
  });
});
