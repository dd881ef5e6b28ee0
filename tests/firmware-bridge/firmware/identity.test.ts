// The reference firmware in simavr: identity, sensors and the frame rules of docs/board-protocol.md.

import { describe, expect, it } from 'vitest';
import {
  COMPRESSOR_DEAD_S,
  COMPRESSOR_MIN_OFF_S,
  COMPRESSOR_MIN_ON_S,
} from '../../../firmware-bridge/boards/compressor-floors.js';
import { crc8, encodeFrame } from '../../../firmware-bridge/drivers/line/codec.js';
import { buildFirmware, EmulatedBoard, FIRMWARE_VERSION, RELEASE_ELF } from './emulated-board.js';
import { romOf, useBench } from './helpers.js';

describe('reference firmware: identity', () => {
  const start = useBench();

  it('says HELLO with seq 0 within 1 s of power-on, outputs off and the BOOT flag set', async () => {
    const { board } = await start({ speed: 0 });
    const hello = await board.frame('HELLO');
    expect(hello.frame.seq).toBe(0);
    expect(hello.us).toBeLessThan(1_000_000);
    expect(hello.frame.fields).toEqual([
      '1',
      'cobrew-ref',
      `${FIRMWARE_VERSION}+test`,
      'ref-uno-r1',
      'power-on',
      '10',
      '14400',
      '86400',
      // The test build's compressor protection: cool off 5 s, on 2 s, dead time 3 s.
      '5',
      '2',
      '3',
      '2700', // brown-out level from the harness's fuse byte: a stock Uno's 0xFD
    ]);
    const st = await board.frame('ST');
    expect(st.frame.fields).toEqual(['0', '0', '08']);
    expect(board.events.some((e) => e.kind === 'pin' && e.pin !== 'led' && e.on)).toBe(false);
  });

  it('reports its brown-out level from the extended fuse in HELLO', async () => {
    const { board } = await start({ speed: 0 });
    board.command('fuse FC');
    board.command('reset external');
    const hello = await board.frame('HELLO', 0, (f) => f.fields[4] === 'external');
    expect(hello.frame.fields.at(-1)).toBe('4300');
  });

  it('answers HELLO? with HELLO, HB with ACK, an unknown type with NAK UNKNOWN, each within 100 ms', async () => {
    const { board, host } = await start({ speed: 1 });
    const from = board.events.length;
    const asked = host.send('HELLO?');
    const hb = host.send('HB');
    const odd = host.send('FOO');
    expect(asked).toBe(0);
    const hello = await board.frame('HELLO', from);
    expect(hello.frame.fields[4]).toBe('power-on');
    expect((await host.answer(hb)).type).toBe('ACK');
    expect((await host.answer(odd)).fields).toEqual([String(odd), 'UNKNOWN']);
    // Emulated time from the command's last byte arriving to the answer leaving: bounded by the bytes on the
    // wire at 57600 baud (≈ 0.17 ms each) plus the loop, far under the protocol's 100 ms.
    const tx = board.events.slice(from).filter((e) => e.kind === 'tx');
    const span = (tx.at(-1)?.us ?? 0) - (tx[0]?.us ?? 0);
    expect(span).toBeLessThan(100_000);
  });

  it('drops bad CRCs, malformed and oversize lines without answering, then answers the next good frame', async () => {
    const { board, host } = await start({ speed: 1 });
    // Each with the CRC of its own bytes, so only the rule under test refuses it.
    const framed = (body: string) => `$${body}*${crc8(body).toString(16).toUpperCase().padStart(2, '0')}`;
    expect(framed('1,HB')).toBe('$1,HB*FF');
    host.raw('$1,HB*00\n'); // bad CRC
    host.raw('$1,HB*ff\n'); // lower-case CRC
    host.raw(`${framed('08,HB')}\n`); // leading zero in seq
    host.raw(`${framed('9,OUT,1,,0')}\n`); // empty field
    host.raw('$1,HB*FF trailing\n'); // bytes after the CRC
    host.raw(`${framed(`1,OUT,1,${'X'.repeat(90)}`)}\n`); // oversize: 104 bytes
    host.raw(`${encodeFrame(5, 'OUT', [1, 0]).slice(0, -1)}\r\n`); // CRLF is fine: answered
    const crlf = await host.answer(5);
    expect(crlf.type).toBe('ACK');
    host.raw(encodeFrame(6, 'OUT', [0, 0]));
    await host.answer(6);
    const answers = host.received.filter((f) => f.type === 'ACK' || f.type === 'NAK').map((f) => f.fields[0]);
    expect(answers).toEqual(['5', '6']);
    expect(board.events.some((e) => e.kind === 'pin' && e.pin === 'heat' && e.on)).toBe(true);
    // The board counts what it dropped, in a comment line for a person at a terminal.
    await board.waitFor('dropped-lines comment', (e) =>
      e.kind === 'tx' && /^# dropped lines: 6$/.test(e.line) ? true : undefined,
    );
  });

  it('reports each sensor after every conversion, ERR for a bad scratchpad CRC, and lists them on SCAN', async () => {
    const { board, host } = await start({ speed: 0 });
    const warm = romOf('FF4A1B2C3D04');
    const cold = romOf('FF11223344AA');
    board.command(`sensor ${warm} 20062`);
    board.command(`sensor ${cold} -1250`);
    const scan = host.send('SCAN');
    expect((await host.answer(scan)).type).toBe('ACK');
    const end = await host.next((f) => f.type === 'SCANEND', 'SCANEND');
    expect(end.fields).toEqual(['2']);
    const listed = host.received.filter((f) => f.type === 'SENSOR').map((f) => f.fields[0]);
    expect(listed).toEqual([warm, cold]);

    const after = board.events.length;
    const t1 = await board.frame('T', after, (f) => f.fields[0] === warm);
    const t2 = await board.frame('T', after, (f) => f.fields[0] === cold);
    expect(t1.frame.fields[1]).toBe('20062'); // 20.0625 °C, truncated toward zero
    expect(t2.frame.fields[1]).toBe('-1250');
    expect(t2.us - t1.us).toBeLessThan(50_000);

    board.command(`badcrc ${cold}`);
    const bad = await board.frame(
      'T',
      board.events.length,
      (f) => f.fields[0] === cold && f.fields[1] === 'ERR',
    );
    const next = await board.frame('T', board.events.length, (f) => f.fields[0] === cold);
    expect(next.frame.fields[1]).toBe('ERR');
    // One conversion a second.
    expect(next.us - bad.us).toBeGreaterThan(900_000);
    expect(next.us - bad.us).toBeLessThan(1_100_000);
  });

  it("reports ERR, never 85 °C, for a probe's power-on scratchpad, and believes it again once it converts", async () => {
    const { board, host } = await start({ speed: 0 });
    const probe = romOf('0000000000E5');
    board.command(`sensor ${probe} 18000`);
    await host.answer(host.send('SCAN'));
    await board.frame('T', 0, (f) => f.fields[0] === probe && f.fields[1] === '18000');
    board.command(`poweron ${probe}`);
    const from = board.events.length;
    const after = await board.frame('T', from, (f) => f.fields[0] === probe);
    // The conversion that was running may still show the last value; the next one is the power-on pad.
    const powerOn = after.frame.fields[1] === 'ERR' ? after : await board.frame('T', after.index + 1);
    expect(powerOn.frame.fields).toEqual([probe, 'ERR']);
    expect(
      board.events.some((e) => e.kind === 'tx' && e.frame?.type === 'T' && e.frame.fields[1] === '85000'),
    ).toBe(false);
    board.command(`sensor ${probe} 18500`);
    await board.frame('T', powerOn.index + 1, (f) => f.fields[1] === '18500');
    // Not above the over-temperature limit either: no FS.
    expect(board.events.some((e) => e.kind === 'tx' && e.frame?.type === 'FS')).toBe(false);
  });

  it('ignores a sensor whose ROM code fails its CRC', async () => {
    const { board, host } = await start({ speed: 0 });
    const good = romOf('0000000000AB');
    const corrupt = `${good.slice(0, 14)}${good.slice(14) === '00' ? '01' : '00'}`;
    board.command(`sensor ${good} 18000`);
    board.command(`sensor ${corrupt} 18000`);
    const scan = host.send('SCAN');
    await host.answer(scan);
    expect((await host.next((f) => f.type === 'SCANEND', 'SCANEND')).fields).toEqual(['1']);
  });
});

describe('reference firmware: release build', () => {
  it('boots in the emulator with the version of the VERSION file and no sensors on an empty bus', async () => {
    buildFirmware('release', 'sim');
    const board = await EmulatedBoard.start({ elf: RELEASE_ELF, speed: 0 });
    try {
      const hello = await board.frame('HELLO');
      // Byte for byte what the host's codec would write (docs/board-protocol.md §7 shows it for 1.0.0).
      const sent = board.events.find((e) => e.kind === 'tx' && e.frame?.type === 'HELLO');
      expect(sent?.kind === 'tx' && `${sent.line}\n`).toBe(
        encodeFrame(0, 'HELLO', [
          1,
          'cobrew-ref',
          FIRMWARE_VERSION,
          'ref-uno-r1',
          'power-on',
          10,
          14400,
          86400,
          COMPRESSOR_MIN_OFF_S,
          COMPRESSOR_MIN_ON_S,
          COMPRESSOR_DEAD_S,
          0, // simavr does not emulate reading the fuses: the release reads the real ones on a board
        ]),
      );
      expect(hello.frame.seq).toBe(0);
      // The OneWire search on a bus with nothing on it ends, and the loop keeps running.
      const st = await board.frame('ST', 0, (f) => f.seq > 2);
      expect(st.frame.fields).toEqual(['0', '0', '08']);
      expect(board.events.some((e) => e.kind === 'tx' && e.frame?.type === 'T')).toBe(false);
    } finally {
      await board.stop();
    }
  });
});
