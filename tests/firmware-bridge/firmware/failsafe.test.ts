// The board's own failsafe (docs/board-protocol.md §5), measured in emulated time on the pins simavr drives.
import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from './emulated-board.js';
import {
  emulatedPast,
  neverBoth,
  romOf,
  TEST_DEAD_US,
  TEST_MIN_OFF_COOL_US,
  TEST_MIN_ON_COOL_US,
  useBench,
} from './helpers.js';

const S = 1_000_000; // µs
// The firmware counts whole milliseconds from its 1 kHz tick, so a span may end up to 1 ms early.
const TICK = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Tests with outputs on run at most 5× real time: a slow test process must not look like a silent host.

/** The next ST frame after event index `from`. */
const status = (board: EmulatedBoard, from: number) => board.frame('ST', from).then((s) => s.frame.fields);

describe('reference firmware: failsafe', () => {
  const start = useBench();

  it('switches every output off 10 s after the last heartbeat, says FS,HB_TIMEOUT once, and HB alone does not switch back on', async () => {
    const { board, host } = await start({ speed: 5 });
    const out = host.send('OUT', [1, 0]);
    expect((await host.answer(out)).fields).toEqual([String(out), '1', '0']);
    const on = await board.pinChange('heat', true);
    const off = await board.pinChange('heat', false);
    expect(off - on).toBeGreaterThanOrEqual(10 * S - TICK);
    expect(off - on).toBeLessThan(10 * S + 5_000);
    const fs = await board.frame('FS');
    expect(fs.frame.fields).toEqual(['HB_TIMEOUT']);
    expect(fs.us - off).toBeLessThan(20_000); // queued at once; the time is when its last byte left the UART
    expect(await status(board, fs.index)).toEqual(['0', '0', '01']);

    const hb = host.send('HB');
    expect((await host.answer(hb)).type).toBe('ACK');
    const afterHb = board.events.length;
    await board.frame('ST', afterHb);
    expect(await status(board, board.events.length)).toEqual(['0', '0', '01']);
    expect(board.pins.heat).toBe(false);
    expect(board.events.filter((e) => e.kind === 'tx' && e.frame?.type === 'FS')).toHaveLength(1);

    // OUT switches back on and clears the flag.
    const again = host.send('OUT', [1, 0]);
    await host.answer(again);
    await board.pinChange('heat', true, afterHb);
    expect(await status(board, board.events.length)).toEqual(['1', '0', '00']);
  });

  it('keeps outputs on while heartbeats come, refused OUTs included, and applies a CFG heartbeat timeout', async () => {
    const { board, host } = await start({ speed: 1 });
    const cfg = host.send('CFG', [2, 14400, 86400]);
    expect((await host.answer(cfg)).fields).toEqual([String(cfg), '2', '14400', '86400']);
    await emulatedPast(board, 0, TEST_MIN_OFF_COOL_US);
    const out = host.send('OUT', [0, 1]);
    await host.answer(out);
    let last = out;
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      last = i % 2 === 0 ? host.send('HB') : host.send('OUT', [1, 1]);
    }
    const lastAnswer = await board.frame('NAK', 0, (f) => f.fields[0] === String(last));
    expect(lastAnswer.frame.fields).toEqual([String(last), 'INTERLOCK']);
    expect(board.events.some((e) => e.kind === 'pin' && e.pin === 'cool' && !e.on)).toBe(false);
    const off = await board.pinChange('cool', false);
    expect(off - lastAnswer.us).toBeGreaterThan(1.99 * S);
    expect(off - lastAnswer.us).toBeLessThan(2 * S + 5_000);
    expect(board.events.some((e) => e.kind === 'reset')).toBe(false); // the watchdog stayed fed
  });

  it('refuses OUT,1,1 with NAK INTERLOCK, changing nothing', async () => {
    const { board, host } = await start({ speed: 5 });
    const heat = host.send('OUT', [1, 0]);
    await host.answer(heat);
    const both = host.send('OUT', [1, 1]);
    expect((await host.answer(both)).fields).toEqual([String(both), 'INTERLOCK']);
    expect(board.pins).toMatchObject({ heat: true, cool: false });
    neverBoth(board);
  });

  it('protects the compressor whatever the host asks: minimum off-time from boot and after a run, minimum on-time, dead time', async () => {
    const { board, host } = await start({ speed: 2 });
    const early = host.send('OUT', [0, 1]);
    expect((await host.answer(early)).fields).toEqual([String(early), 'MINOFF']);
    await emulatedPast(board, 0, TEST_MIN_OFF_COOL_US);
    const cool = host.send('OUT', [0, 1]);
    expect((await host.answer(cool)).fields).toEqual([String(cool), '0', '1']);
    const on = await board.pinChange('cool', true);
    // Switched off inside its minimum on-time, or straight to heat: refused, the compressor runs on.
    const stop = host.send('OUT', [0, 0]);
    expect((await host.answer(stop)).fields).toEqual([String(stop), 'MINON']);
    const swap = host.send('OUT', [1, 0]);
    expect((await host.answer(swap)).fields).toEqual([String(swap), 'MINON']);
    expect(board.pins).toMatchObject({ heat: false, cool: true });
    await emulatedPast(board, on, TEST_MIN_ON_COOL_US);
    const swapLater = host.send('OUT', [1, 0]);
    expect((await host.answer(swapLater)).fields).toEqual([String(swapLater), 'DEADTIME']);
    const off = host.send('OUT', [0, 0]);
    expect((await host.answer(off)).fields).toEqual([String(off), '0', '0']);
    const offAt = await board.pinChange('cool', false);
    const restart = host.send('OUT', [0, 1]);
    expect((await host.answer(restart)).fields).toEqual([String(restart), 'MINOFF']);
    const heatSoon = host.send('OUT', [1, 0]);
    expect((await host.answer(heatSoon)).fields).toEqual([String(heatSoon), 'DEADTIME']);
    await emulatedPast(board, offAt, TEST_DEAD_US);
    const heat = host.send('OUT', [1, 0]);
    expect((await host.answer(heat)).fields).toEqual([String(heat), '1', '0']);
    const heatOn = await board.pinChange('heat', true);
    expect(heatOn - offAt).toBeGreaterThanOrEqual(TEST_DEAD_US);
    neverBoth(board);
  });

  it('cuts the heat by itself when any probe reads above 50 °C, refuses it until every probe is back below and an OUT clears it', async () => {
    const { board, host } = await start({ speed: 2 });
    const beer = romOf('0000000000B1');
    const room = romOf('0000000000A3');
    board.command(`sensor ${beer} 20000`);
    board.command(`sensor ${room} 21000`);
    const scan = host.send('SCAN');
    await host.answer(scan);
    const heat = host.send('OUT', [1, 0]);
    await host.answer(heat);
    await board.pinChange('heat', true);
    const from = board.events.length;
    board.command(`sensor ${room} 50500`); // any probe, not only the beer's
    const off = await board.pinChange('heat', false, from);
    const hot = await board.frame('T', from, (f) => f.fields[1] === '50500');
    expect(off - hot.us).toBeLessThan(20_000); // the conversion that saw it
    expect((await board.frame('FS', from)).frame.fields).toEqual(['OVERTEMP']);
    expect(await status(board, board.events.length)).toEqual(['0', '0', '10']);
    const again = host.send('OUT', [1, 0]);
    expect((await host.answer(again)).fields).toEqual([String(again), 'OVERTEMP']);
    board.command(`sensor ${room} 49000`);
    await board.frame('T', board.events.length, (f) => f.fields[1] === '49000');
    const clear = host.send('OUT', [0, 0]);
    await host.answer(clear);
    expect(await status(board, board.events.length)).toEqual(['0', '0', '00']);
    const back = host.send('OUT', [1, 0]);
    expect((await host.answer(back)).fields).toEqual([String(back), '1', '0']);
    expect(board.events.filter((e) => e.kind === 'tx' && e.frame?.type === 'FS')).toHaveLength(1);
  });

  it('cuts an output at its max on-time counted from its switch-on, refuses it with MAXON until an OUT sets it to 0', async () => {
    const { board, host } = await start({ speed: 1 });
    const cfg = host.send('CFG', [10, 3, 5]);
    expect((await host.answer(cfg)).fields).toEqual([String(cfg), '10', '3', '5']);
    const first = host.send('OUT', [1, 0]);
    await host.answer(first);
    const on = await board.pinChange('heat', true);
    await sleep(1500);
    const repeat = host.send('OUT', [1, 0]); // keeps heat on: does not restart the count
    expect((await host.answer(repeat)).type).toBe('ACK');
    const off = await board.pinChange('heat', false);
    expect(off - on).toBeGreaterThanOrEqual(3 * S - TICK);
    expect(off - on).toBeLessThan(3 * S + 5_000);
    expect((await board.frame('FS')).frame.fields).toEqual(['MAXON_HEAT']);
    expect(await status(board, board.events.length)).toEqual(['0', '0', '02']);

    const refused = host.send('OUT', [1, 0]);
    expect((await host.answer(refused)).fields).toEqual([String(refused), 'MAXON']);
    const clear = host.send('OUT', [0, 0]); // heat 0 clears MAXON_HEAT
    expect((await host.answer(clear)).fields).toEqual([String(clear), '0', '0']);
    expect(await status(board, board.events.length)).toEqual(['0', '0', '00']);
  });

  it('applies a tighter max on-time at once to an output already on', async () => {
    const { board, host } = await start({ speed: 1 });
    const out = host.send('OUT', [1, 0]);
    await host.answer(out);
    const on = await board.pinChange('heat', true);
    await sleep(1500);
    const cfg = host.send('CFG', [10, 1, 86400]);
    const ack = await board.frame('ACK', 0, (f) => f.fields[0] === String(cfg));
    const off = await board.pinChange('heat', false);
    expect(off - on).toBeGreaterThan(1 * S);
    expect(off - ack.us).toBeLessThan(5_000);
    expect((await board.frame('FS')).frame.fields).toEqual(['MAXON_HEAT']);
  });

  it('accepts CFG only within the compiled limits, and HELLO reports the limits in force', async () => {
    const { board, host } = await start({ speed: 0 });
    const cases: Array<[Array<string | number>, string]> = [
      [[11, 14400, 86400], 'LIMIT'], // looser heartbeat timeout
      [[10, 14401, 86400], 'LIMIT'],
      [[10, 14400, 86401], 'LIMIT'],
      [[1, 60, 60], 'LIMIT'], // heartbeat timeout below 2 s
      [[10, 0, 60], 'LIMIT'],
      [[10, 'x', 60], 'BADARG'],
      [[10, '060', 60], 'BADARG'], // leading zero
      [[10, 60], 'BADARG'], // missing field
    ];
    for (const [fields, reason] of cases) {
      const seq = host.send('CFG', fields);
      expect((await host.answer(seq)).fields, JSON.stringify(fields)).toEqual([String(seq), reason]);
    }
    const ok = host.send('CFG', [5, 600, 1800, 'future']); // an unknown trailing field is ignored
    expect((await host.answer(ok)).fields).toEqual([String(ok), '5', '600', '1800']);
    const from = board.events.length;
    host.send('HELLO?');
    expect((await board.frame('HELLO', from)).frame.fields.slice(5, 8)).toEqual(['5', '600', '1800']);
    const bad = host.send('OUT', [2, 0]);
    expect((await host.answer(bad)).fields).toEqual([String(bad), 'BADARG']);
  });

  it('is reset by the watchdog when its loop hangs, with outputs off and the cause in the next HELLO', async () => {
    const { board, host } = await start({ speed: 5 });
    const out = host.send('OUT', [1, 0]);
    await host.answer(out);
    await board.pinChange('heat', true);
    const hang = host.send('HANG'); // test build only
    const hung = await board.frame('ACK', 0, (f) => f.fields[0] === String(hang));
    const reset = await board.waitFor('reset', (e) => (e.kind === 'reset' ? e.us : undefined));
    // WDTO_1S: 2048 × 64 cycles of the 128 kHz watchdog oscillator = 1.024 s.
    expect(reset - hung.us).toBeGreaterThan(0.9 * S);
    expect(reset - hung.us).toBeLessThan(1.1 * S);
    const off = await board.pinChange('heat', false);
    expect(off).toBeLessThanOrEqual(reset + 100);
    const hello = await board.frame('HELLO', 0, (f) => f.fields[4] === 'watchdog');
    expect(hello.frame.seq).toBe(0);
    expect(hello.us - reset).toBeLessThan(1 * S);
    expect(await status(board, hello.index)).toEqual(['0', '0', '08']);
  });

  it('answers HANG with NAK UNKNOWN in the release build', async () => {
    const { buildFirmware, RELEASE_ELF } = await import('./emulated-board.js');
    buildFirmware('release');
    const { board, host } = await start({ speed: 0, elf: RELEASE_ELF });
    const hang = host.send('HANG');
    expect((await host.answer(hang)).fields).toEqual([String(hang), 'UNKNOWN']);
    expect(board.events.some((e) => e.kind === 'reset')).toBe(false);
  });
});
