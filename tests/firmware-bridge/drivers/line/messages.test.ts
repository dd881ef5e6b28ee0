import { describe, expect, it } from 'vitest';
import { decodeLine, encodeFrame, type Frame } from '../../../../firmware-bridge/drivers/line/codec.js';
import {
  encodeCommand,
  parseBoardMessage,
  validRom,
} from '../../../../firmware-bridge/drivers/line/messages.js';
import { normaliseRom } from '../../../../firmware-bridge/drivers/line/rom.js';
import { ROMS } from './board-emulator.js';

const frame = (type: string, fields: string[]): Frame => ({ seq: 3, type, fields });
const parse = (type: string, ...fields: string[]) => parseBoardMessage(frame(type, fields));

describe('host commands', () => {
  it('encode as the document shows them', () => {
    expect(encodeCommand(0, { type: 'HELLO?' })).toBe('$0,HELLO?*FD\n');
    expect(encodeCommand(1, { type: 'SCAN' })).toBe('$1,SCAN*80\n');
    expect(encodeCommand(2, { type: 'OUT', outputs: { heat: true, cool: false } })).toBe('$2,OUT,1,0*FE\n');
    expect(encodeCommand(4, { type: 'HB' })).toBe('$4,HB*7E\n');
    expect(
      encodeCommand(9, { type: 'CFG', limits: { heartbeatTimeoutS: 5, maxOnHeatS: 3600, maxOnCoolS: 7200 } }),
    ).toBe(encodeFrame(9, 'CFG', ['5', '3600', '7200']));
  });
});

describe('board messages', () => {
  it('parse every type', () => {
    expect(
      parse('HELLO', '1', 'cobrew-ref', '1.0.0', 'ref-uno-r1', 'watchdog', '10', '14400', '86400'),
    ).toEqual({
      ok: true,
      message: {
        type: 'HELLO',
        protocol: 1,
        hello: {
          firmware: 'cobrew-ref',
          version: '1.0.0',
          profile: 'ref-uno-r1',
          resetCause: 'watchdog',
          heartbeatTimeoutS: 10,
          maxOnHeatS: 14400,
          maxOnCoolS: 86400,
        },
      },
    });
    expect(parse('ACK', '2', '1', '0')).toEqual({
      ok: true,
      message: { type: 'ACK', hostSeq: 2, detail: ['1', '0'] },
    });
    expect(parse('NAK', '3', 'INTERLOCK')).toEqual({
      ok: true,
      message: { type: 'NAK', hostSeq: 3, reason: 'INTERLOCK' },
    });
    expect(parse('T', ROMS.beer, '20062')).toEqual({
      ok: true,
      message: { type: 'T', rom: ROMS.beer, milliC: 20062 },
    });
    expect(parse('T', ROMS.beer, '-1250')).toMatchObject({ message: { milliC: -1250 } });
    expect(parse('T', ROMS.beer, 'ERR')).toMatchObject({ message: { milliC: null } });
    expect(parse('SENSOR', ROMS.chamber)).toEqual({
      ok: true,
      message: { type: 'SENSOR', rom: ROMS.chamber },
    });
    expect(parse('SCANEND', '2')).toEqual({ ok: true, message: { type: 'SCANEND', count: 2 } });
    expect(parse('ST', '1', '0', '0A')).toEqual({
      ok: true,
      message: { type: 'ST', outputs: { heat: true, cool: false }, flags: 0x0a },
    });
    expect(parse('FS', 'HB_TIMEOUT')).toEqual({ ok: true, message: { type: 'FS', reason: 'HB_TIMEOUT' } });
  });

  it('parse every board frame of the session example', () => {
    const lines = [
      '$0,HELLO,1,cobrew-ref,1.0.0,ref-uno-r1,power-on,10,14400,86400*F1',
      '$5,T,28FF4A1B2C3D045A,20062*A1',
      '$6,T,28FF11223344AAC5,ERR*DE',
      '$9,NAK,3,INTERLOCK*1E',
      '$12,FS,HB_TIMEOUT*24',
    ];
    for (const l of lines) {
      const d = decodeLine(l);
      if (d.kind !== 'frame') throw new Error(`${l}: ${d.kind}`);
      expect(parseBoardMessage(d.frame).ok, l).toBe(true);
    }
  });

  it('ignore trailing fields a later version may add', () => {
    expect(parse('ST', '0', '1', '00', 'future')).toMatchObject({ ok: true, message: { flags: 0 } });
    expect(parse('FS', 'MAXON_COOL', '42')).toMatchObject({ ok: true, message: { reason: 'MAXON_COOL' } });
  });

  it('take a HELLO of another protocol version without its fields', () => {
    expect(parse('HELLO', '2', 'x')).toEqual({
      ok: true,
      message: { type: 'HELLO', protocol: 2, hello: null },
    });
  });

  it('refuse unknown types and bad fields with a reason', () => {
    expect(parse('PING')).toEqual({ ok: false, reason: 'unknown-type', detail: 'PING' });
    for (const [type, ...fields] of [
      ['HELLO'],
      ['HELLO', 'one'],
      ['HELLO', '1', 'cobrew-ref', '1.0.0', 'ref-uno-r1', 'power-on', '10', '14400'],
      ['HELLO', '1', 'cobrew-ref', '1.0.0', 'ref-uno-r1', 'power-on', '10', '14400', '-5'],
      ['ACK'],
      ['ACK', '256'],
      ['ACK', '07'],
      ['NAK', '3'],
      ['T', ROMS.beer],
      ['T', ROMS.beer, '20.5'],
      ['T', ROMS.beer, '+5'],
      ['T', ROMS.beer, '-0'],
      ['T', ROMS.beer.toLowerCase(), '1'],
      ['T', '28FF4A1B2C3D045B', '1'],
      ['T', '28FF4A1B2C3D04', '1'],
      ['SENSOR', 'ERR'],
      ['SCANEND', 'x'],
      ['ST', '1', '0'],
      ['ST', '2', '0', '00'],
      ['ST', '1', '0', '8'],
      ['ST', '1', '0', '0a'],
      ['FS'],
    ] as string[][]) {
      expect(parse(type as string, ...fields), `${type} ${fields}`).toMatchObject({
        ok: false,
        reason: 'bad-fields',
      });
    }
  });
});

describe('ROM codes', () => {
  it('check the CRC byte', () => {
    for (const rom of Object.values(ROMS)) expect(validRom(rom)).toBe(true);
    expect(validRom('28FF4A1B2C3D0400')).toBe(false);
    expect(validRom('28ff4a1b2c3d045a')).toBe(false);
  });

  it('accept the ways people write them and refuse the rest with a typed error', () => {
    expect(normaliseRom('beer', '28-ff4a1b2c3d045a')).toBe(ROMS.beer);
    expect(normaliseRom('beer', '28:FF:4A:1B:2C:3D:04:5A')).toBe(ROMS.beer);
    expect(() => normaliseRom('chamber', '28-ff4a1b2c3d0400')).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_PROBE_ROM', message: expect.stringContaining('chamber') }),
    );
  });
});
