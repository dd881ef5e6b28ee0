import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crc8,
  decodeLine,
  encodeFrame,
  framesLost,
  MAX_LINE_BYTES,
  SeqCounter,
} from '../../../../firmware-bridge/drivers/line/codec.js';

const DOC = readFileSync(new URL('../../../../docs/board-protocol.md', import.meta.url), 'utf8');
const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

describe('CRC-8/MAXIM', () => {
  it('has the catalogue check value', () => {
    expect(crc8('123456789')).toBe(0xa1);
    expect(crc8('')).toBe(0);
  });

  it('matches the worked example of docs/board-protocol.md byte by byte', () => {
    const section = DOC.slice(DOC.indexOf('**Worked example**'), DOC.indexOf('### Sequence numbers'));
    const rows = [...section.matchAll(/^\| `(.)` +\| 0x([0-9A-F]{2}) \| 0x([0-9A-F]{2}) +\|$/gm)];
    expect(rows.map((r) => r[1]).join('')).toBe('1,HB');
    let prefix = '';
    for (const [, ch = '', code = '', after = ''] of rows) {
      expect(ch.charCodeAt(0)).toBe(Number.parseInt(code, 16));
      prefix += ch;
      expect(hex(crc8(prefix)), `CRC after ${prefix}`).toBe(after);
    }
    expect(section).toContain('`$1,HB*FF\\n`');
    expect(encodeFrame(1, 'HB')).toBe('$1,HB*FF\n');
  });

  it('agrees with every frame quoted in the document', () => {
    const frames = [...DOC.matchAll(/\$[0-9]+,[A-Z]+\??[^*\s`]*\*[0-9A-F]{2}/g)].map((m) => m[0]);
    expect(frames.length).toBeGreaterThan(15);
    for (const f of frames) expect(decodeLine(f).kind, f).toBe('frame');
  });
});

describe('encodeFrame', () => {
  it('writes seq, type, fields and CRC, with a newline', () => {
    expect(encodeFrame(0, 'HELLO?')).toBe('$0,HELLO?*FD\n');
    expect(encodeFrame(2, 'OUT', [1, 0])).toBe('$2,OUT,1,0*FE\n');
    expect(encodeFrame(5, 'T', ['28FF4A1B2C3D045A', -1250])).toMatch(
      /^\$5,T,28FF4A1B2C3D045A,-1250\*[0-9A-F]{2}\n$/,
    );
  });

  it('round-trips through decodeLine', () => {
    for (const [seq, type, fields] of [
      [0, 'HB', []],
      [255, 'ACK', ['17', '1', '0']],
      [128, 'HELLO', ['1', 'cobrew-ref', '1.0.0', 'ref-uno-r1', 'power-on', '10', '14400', '86400']],
    ] as const) {
      const line = encodeFrame(seq, type, fields);
      expect(decodeLine(line.slice(0, -1))).toEqual({ kind: 'frame', frame: { seq, type, fields } });
    }
  });

  it('refuses what the grammar forbids', () => {
    const bad: Array<[number, string, Array<string | number>]> = [
      [-1, 'HB', []],
      [256, 'HB', []],
      [1.5, 'HB', []],
      [0, 'hb', []],
      [0, 'TOOLONGTYPE', []],
      [0, '', []],
      [0, 'OUT', ['']],
      [0, 'OUT', ['a,b']],
      [0, 'OUT', ['a*b']],
      [0, 'OUT', ['$']],
      [0, 'OUT', ['a b']],
      [0, 'OUT', ['é']],
      [0, 'OUT', ['x'.repeat(25)]],
      [0, 'ACK', Array.from({ length: 12 }, () => 'x'.repeat(10))],
    ];
    for (const [seq, type, fields] of bad) {
      expect(() => encodeFrame(seq, type, fields), `${seq} ${type} ${fields}`).toThrow(
        expect.objectContaining({ code: 'COBREW_ERR_LINE_FRAME' }),
      );
    }
  });
});

describe('decodeLine', () => {
  const good = '$7,ST,0,0,08'; // body; CRC appended below
  const line = `${good}*${hex(crc8(good.slice(1)))}`;

  it('accepts one \\r before the newline, and comments', () => {
    expect(decodeLine(`${line}\r`).kind).toBe('frame');
    expect(decodeLine('# cobrew-ref 1.0.0 booting')).toEqual({
      kind: 'comment',
      text: 'cobrew-ref 1.0.0 booting',
    });
  });

  it('drops lines longer than 96 bytes with the newline, \\r included', () => {
    const body = `0,ACK,${'1,'.repeat(50)}`.slice(0, MAX_LINE_BYTES - 4);
    const at95 = `$${body}*${hex(crc8(body))}`;
    expect(at95.length).toBe(MAX_LINE_BYTES);
    expect(decodeLine(at95).kind).toBe('frame');
    expect(decodeLine(`${at95}\r`)).toMatchObject({ kind: 'dropped', reason: 'oversize' });
    expect(decodeLine('x'.repeat(5000))).toMatchObject({ kind: 'dropped', reason: 'oversize' });
  });

  it('drops bytes outside printable ASCII', () => {
    for (const ch of ['\0', '\t', '\x7f', '\xff', '\x80', '\r']) {
      expect(decodeLine(`$1,HB${ch}*FF`), JSON.stringify(ch)).toMatchObject({
        kind: 'dropped',
        reason: 'bad-char',
      });
    }
  });

  it('drops lines that are not frames', () => {
    const withCrc = (body: string) => `$${body}*${hex(crc8(body))}`;
    for (const l of [
      '',
      'hello',
      '1,HB*FF',
      withCrc('01,HB'),
      withCrc('256,HB'),
      withCrc('999,HB'),
      withCrc('-1,HB'),
      withCrc('1,hb'),
      withCrc('1,'),
      withCrc('1,OUT,,1'),
      withCrc('1,OUT,1,'),
      withCrc('1,OUT 1'),
      withCrc(`1,T,${'9'.repeat(25)}`),
      '$1,HB*ff',
      '$1,HB*F',
      '$1,HB*FFF',
      '$1,HB',
      '$1,HB*FF trailing',
      ' $1,HB*FF',
      '$$1,HB*FF',
    ]) {
      expect(decodeLine(l), l).toMatchObject({ kind: 'dropped', reason: 'syntax' });
    }
  });

  it('drops a frame whose CRC does not match', () => {
    expect(decodeLine('$1,HB*FE')).toMatchObject({
      kind: 'dropped',
      reason: 'crc',
      detail: 'CRC FE, computed FF',
    });
  });

  it('never takes a frame with one corrupted character for a frame', () => {
    const lines = [
      line,
      encodeFrame(42, 'T', ['28FF4A1B2C3D045A', 20062]).trimEnd(),
      encodeFrame(9, 'OUT', [1, 0]).trimEnd(),
    ];
    let mutations = 0;
    for (const original of lines) {
      for (let i = 0; i < original.length; i++) {
        for (let c = 0x20; c <= 0x7e; c++) {
          const ch = String.fromCharCode(c);
          if (ch === original[i]) continue;
          const mutated = original.slice(0, i) + ch + original.slice(i + 1);
          mutations++;
          const d = decodeLine(mutated);
          // A corrupted `$` may read as a comment, which is ignored: never as a frame.
          if (d.kind === 'frame') throw new Error(`${mutated} accepted as a frame`);
        }
      }
    }
    expect(mutations).toBeGreaterThan(5000);
  });
});

describe('sequence numbers', () => {
  it('count from 0 and wrap after 255', () => {
    const s = new SeqCounter();
    const seen = Array.from({ length: 258 }, () => s.next());
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]);
    expect(seen.slice(254)).toEqual([254, 255, 0, 1]);
    s.reset();
    expect(s.next()).toBe(0);
  });

  it('count lost frames across the wrap, not repeats or restarts', () => {
    expect(framesLost(null, 17)).toBe(0);
    expect(framesLost(5, 6)).toBe(0);
    expect(framesLost(5, 9)).toBe(3);
    expect(framesLost(255, 0)).toBe(0);
    expect(framesLost(254, 2)).toBe(3);
    expect(framesLost(5, 5)).toBe(0);
    expect(framesLost(40, 0)).toBe(0);
  });
});
