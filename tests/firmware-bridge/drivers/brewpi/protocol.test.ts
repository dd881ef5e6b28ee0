import { describe, expect, it } from 'vitest';
import { brewPiTargetOf } from '../../../../firmware-bridge/drivers/brewpi/pass-through.js';
import {
  encodeSettings,
  outputsOf,
  parseReply,
  stateName,
} from '../../../../firmware-bridge/drivers/brewpi/protocol.js';

describe('BrewPi legacy replies', () => {
  it('reads T: with nulls for probes that do not answer, and the state number', () => {
    const r = parseReply(
      'T:{"BeerTemp":19.52,"BeerSet":20.00,"BeerAnn":null,"FridgeTemp":null,"FridgeSet":22.10,"FridgeAnn":null,"RoomTemp":null,"State":3}\r',
    );
    expect(r).toEqual({
      ok: true,
      reply: {
        type: 'T',
        temps: { beer: 19.52, beerSet: 20, fridge: null, fridgeSet: 22.1, room: null, state: 3 },
      },
    });
  });

  it('reads N: as JSON or, from early builds, as a bare version', () => {
    expect(parseReply('N:{"v":"0.2.11","n":"6e1e7ae","s":1,"y":0,"b":"s","l":"1"}')).toEqual({
      ok: true,
      reply: { type: 'N', version: '0.2.11', build: '6e1e7ae' },
    });
    expect(parseReply('N:0.2.4')).toEqual({ ok: true, reply: { type: 'N', version: '0.2.4', build: null } });
  });

  it('reads S:, C:, d: and L:, single-quoted JSON included', () => {
    expect(parseReply("S:{'mode':'o','beerSet':20.00,'fridgeSet':18.00}")).toMatchObject({
      reply: { type: 'S', settings: { mode: 'o', beerSet: 20, fridgeSet: 18 } },
    });
    expect(parseReply('C:{"tempFormat":"C","tempSetMin":1.0,"tempSetMax":30.0}')).toMatchObject({
      reply: { type: 'C', constants: { tempFormat: 'C', tempSetMin: 1, tempSetMax: 30 } },
    });
    expect(
      parseReply(
        'd:[{"i":0,"f":5,"h":2,"a":"28c2a1d3040000a6"},{"i":2,"f":2,"h":1,"p":6},{"h":3,"a":"3A00"}]',
      ),
    ).toMatchObject({ reply: { type: 'd', sensors: ['28C2A1D3040000A6'] } });
    expect(parseReply('L:["Mode   Beer Const.","","",""]')).toMatchObject({ reply: { type: 'L' } });
  });

  it('passes over log lines and drops what it cannot read', () => {
    expect(parseReply('D:{"logType":"I","logID":9,"V":[]}')).toEqual({
      ok: true,
      reply: { type: 'other', letter: 'D' },
    });
    expect(parseReply('T:{"BeerTemp":')).toMatchObject({ ok: false });
    expect(parseReply('S:{"mode":"x"}')).toMatchObject({ ok: false });
    expect(parseReply('garbage')).toMatchObject({ ok: false });
  });
});

describe('BrewPi commands', () => {
  it('writes settings with unquoted keys and at most two decimals', () => {
    expect(encodeSettings({ mode: 'o' })).toBe('j{mode:o}');
    expect(encodeSettings({ mode: 'b', beerSet: 18.456 })).toBe('j{mode:b, beerSet:18.46}');
    expect(encodeSettings({ mode: 'f', fridgeSet: 4 })).toBe('j{mode:f, fridgeSet:4}');
  });

  it('names states and the relays each runs', () => {
    expect(stateName(4)).toBe('cooling');
    expect(stateName(42)).toBe('unknown');
    expect(stateName(null)).toBe('unknown');
    expect(outputsOf('heating-min-time')).toEqual({ heat: true, cool: false });
    expect(outputsOf('waiting-to-cool')).toEqual({ heat: false, cool: false });
  });

  it('turns cobrew’s targets into BrewPi modes, setpoints in 0.1 °C steps', () => {
    expect(brewPiTargetOf({ mode: 'off' })).toEqual({ mode: 'o' });
    expect(brewPiTargetOf({ mode: 'beer', beerC: 18.26, slopeCPerS: 0 })).toEqual({
      mode: 'b',
      beerSetC: 18.3,
    });
    expect(brewPiTargetOf({ mode: 'chamber', chamberC: 3.94 })).toEqual({ mode: 'f', fridgeSetC: 3.9 });
  });
});
