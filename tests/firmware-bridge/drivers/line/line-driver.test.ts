import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../../firmware-bridge/drivers/line/codec.js';
import { LineDriver } from '../../../../firmware-bridge/drivers/line/line-driver.js';
import { ROMS } from './board-emulator.js';
import { guardWrites, openWhileRunning, type Rig, rig } from './helpers.js';

const rigs: Rig[] = [];
function make(...args: Parameters<typeof rig>): Rig {
  const r = rig(...args);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) await openWhileRunning(r, r.driver.close());
});

async function online(...args: Parameters<typeof rig>): Promise<Rig> {
  const r = make(...args);
  await openWhileRunning(r, r.driver.open());
  return r;
}

describe('opening', () => {
  it('identifies the board from HELLO and its sensors from SCAN', async () => {
    const r = await online();
    expect(r.driver.identity).toEqual({
      firmware: 'cobrew-ref',
      version: '1.0.0',
      profile: 'ref-uno-r1',
      resetCause: 'power-on',
      sensors: [ROMS.beer, ROMS.chamber, ROMS.ambient],
    });
    expect(r.driver.connected).toBe(true);
    expect(r.driver.boardLimits).toMatchObject({
      heartbeatTimeoutS: 10,
      maxOnHeatS: 14400,
      maxOnCoolS: 86400,
    });
    expect(r.events[0]).toMatchObject({ type: 'identified', identity: r.driver.identity });
    // Outputs are asserted (all off) as soon as the board is known.
    expect(r.board.received.map((f) => f.type)).toEqual(['HELLO?', 'SCAN', 'OUT']);
    expect(r.sent('OUT')).toEqual([['0', '0']]);
  });

  it('asks again while the bootloader swallows the line, and takes the boot HELLO', async () => {
    const r = make({ bootMs: 1800 });
    const t0 = r.clock.now();
    await openWhileRunning(r, r.driver.open());
    const asks = r.board.log
      .filter((l) => l.dir === 'host' && l.line.includes('HELLO?'))
      .map((l) => l.at - t0);
    expect(asks).toEqual([0, 1000]);
    expect(r.driver.identity?.resetCause).toBe('power-on');
    await r.timers.advance(10_000);
    expect(r.events.filter((e) => e.type !== 'output-ack').map((e) => e.type)).toEqual(['identified']);
  });

  it('gives up with COBREW_ERR_BOARD_NO_HELLO naming port and baud, and frees the port', async () => {
    const r = make({ bootMs: 60_000 }, { helloTimeoutMs: 3000 });
    const err = await openWhileRunning(r, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_BOARD_NO_HELLO' });
    expect((err as Error).message).toContain(r.board.path);
    expect((err as Error).message).toContain('57600 baud');
    expect(r.driver.connected).toBe(false);
    expect(r.board.log.filter((l) => l.line.includes('HELLO?'))).toHaveLength(3);
    await expect(openWhileRunning(r, r.driver.open())).rejects.toMatchObject({
      code: 'COBREW_ERR_BOARD_NO_HELLO',
    });
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('refuses a board speaking another protocol version', async () => {
    const r = make({ protocol: 2 });
    await expect(openWhileRunning(r, r.driver.open())).rejects.toMatchObject({
      code: 'COBREW_ERR_BOARD_PROTOCOL',
      message: expect.stringContaining('protocol 2'),
    });
  });

  it('tightens the board limits with CFG and refuses looser ones', async () => {
    const limits = { heartbeatTimeoutS: 6, maxOnHeatS: 3600, maxOnCoolS: 7200 };
    const r = await online({}, { limits });
    expect(r.sent('CFG')).toEqual([['6', '3600', '7200']]);
    expect(r.driver.boardLimits).toMatchObject(limits);
    expect(r.board.limits).toEqual(limits);

    const loose = make({}, { limits: { heartbeatTimeoutS: 30, maxOnHeatS: 3600, maxOnCoolS: 7200 } });
    await expect(openWhileRunning(loose, loose.driver.open())).rejects.toMatchObject({
      code: 'COBREW_ERR_BOARD_LIMITS',
      message: expect.stringContaining('LIMIT'),
    });
  });

  it('hands the port back when closed while it was still opening', async () => {
    const r = make();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const driver = new LineDriver({
      path: r.board.path,
      clock: r.clock,
      timers: r.timers,
      probes: {},
      openPort: async (path, baud) => {
        await gate;
        return r.board.openPort(path, baud);
      },
    });
    const opening = driver.open().catch((e: unknown) => e);
    const closing = driver.close();
    release();
    await closing;
    expect(await opening).toMatchObject({ code: 'COBREW_ERR_BOARD_GONE' });
    await r.timers.advance(10);
    expect(driver.connected).toBe(false);
    await openWhileRunning(r, r.driver.open());
    expect(r.driver.connected).toBe(true);
  });

  it('is one driver for one port', async () => {
    const r = await online();
    await expect(r.driver.open()).rejects.toMatchObject({ code: 'COBREW_ERR_DRIVER_ALREADY_OPEN' });
    expect(r.board.opens).toBe(1);
  });
});

describe('readings', () => {
  it('maps T lines to probes by ROM, with their reception time; ERR reads as -127', async () => {
    const r = await online({ sensors: { [ROMS.beer]: 20062, [ROMS.chamber]: 'ERR', [ROMS.ambient]: -1250 } });
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    await r.timers.advance(1900);
    const lastT = r.board.log.filter((l) => l.dir === 'board' && l.line.includes(',T,')).at(-1);
    const frame = r.driver.read();
    expect(frame.at).toBe(r.clock.now());
    expect(frame.beer).toEqual({ value: 20.062, at: lastT?.at });
    expect(frame.chamber).toEqual({ value: -127, at: lastT?.at });
    expect(frame.ambient).toEqual({ value: -1.25, at: lastT?.at });
  });

  it('leaves a probe null whose sensor the board never reports', async () => {
    const r = await online({ sensors: { [ROMS.beer]: 19000 } });
    await r.timers.advance(2000);
    expect(r.driver.read()).toMatchObject({ beer: { value: 19 }, chamber: null, ambient: null });
  });

  it('drops and counts bad lines without acting on them', async () => {
    const r = await online({ sensors: { [ROMS.beer]: 19000 } });
    await r.timers.advance(2000);
    const before = r.driver.stats.framesReceived;
    r.board.sendRaw('$90,T,28FF4A1B2C3D045A,99000*00\n'); // bad CRC
    r.board.sendRaw(`$91,T,28FF4A1B2C3D045A,${'9'.repeat(90)}\n`); // oversize
    r.board.sendRaw('garbage\x00\x01\n'); // bad bytes
    r.board.sendRaw('T,28FF4A1B2C3D045A,99000\n'); // no frame
    r.board.sendRaw(encodeFrame(92, 'PING'));
    r.board.sendRaw('# debug text from the board\r\n');
    await r.timers.advance(10);
    expect(r.driver.read().beer?.value).toBe(19);
    expect(r.driver.stats.dropped).toMatchObject({
      crc: 1,
      oversize: 1,
      'bad-char': 1,
      syntax: 1,
      'unknown-type': 1,
    });
    expect(r.driver.stats.framesReceived - before).toBe(1);
    expect(r.driver.connected).toBe(true);
  });
});

describe('heartbeat and outputs', () => {
  it('beats at a quarter of the board timeout, so the board never times out', async () => {
    const r = await online();
    await r.timers.advance(60_000);
    const beats = r.board.log.filter((l) => l.dir === 'host' && /,HB\*/.test(l.line)).map((l) => l.at);
    expect(beats).toHaveLength(24);
    expect(new Set(beats.slice(1).map((at, i) => at - (beats[i] as number)))).toEqual(new Set([2500]));
    expect(r.events.filter((e) => e.type === 'failsafe')).toEqual([]);
    expect(r.driver.stats.missingAnswers).toBe(0);
  });

  it('sends OUT when the guard changes the outputs, once, and tracks the ACK', async () => {
    const r = await online();
    await r.timers.advance(100);
    for (let i = 0; i < 5; i++) {
      r.driver.outputs.write({ heat: false, cool: true });
      await r.timers.advance(200);
    }
    expect(r.sent('OUT')).toEqual([
      ['0', '0'],
      ['0', '1'],
    ]);
    expect(r.board.relays).toEqual({ heat: false, cool: true });
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'ack', outputs: { heat: false, cool: true } });
    await r.timers.advance(1000);
    expect(r.driver.boardStatus).toMatchObject({ outputs: { heat: false, cool: true }, flags: 0 });
  });

  it('surfaces a NAK, and retries at the heartbeat rather than on every write', async () => {
    const r = await online();
    await r.timers.advance(100);
    r.driver.outputs.write({ heat: true, cool: true });
    await r.timers.advance(100);
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'nak', reason: 'INTERLOCK' });
    expect(r.events).toContainEqual(
      expect.objectContaining({ type: 'output-ack', ack: r.driver.lastOutputAck }),
    );
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    for (let i = 0; i < 10; i++) {
      r.driver.outputs.write({ heat: true, cool: true });
      await r.timers.advance(100);
    }
    expect(r.sent('OUT').filter(([h, c]) => h === '1' && c === '1')).toHaveLength(1);
    await r.timers.advance(2500);
    expect(r.sent('OUT').filter(([h, c]) => h === '1' && c === '1')).toHaveLength(2);
  });

  it('reports a missing ACK, then the board failsafe when it hears nothing, and restores outputs after', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(100);
    expect(r.board.relays.heat).toBe(true);

    r.board.deaf = true;
    r.driver.outputs.write({ heat: false, cool: false });
    await r.timers.advance(600);
    expect(r.driver.lastOutputAck).toMatchObject({
      result: 'missing',
      outputs: { heat: false, cool: false },
    });
    expect(r.board.relays.heat).toBe(true);

    await guardWrites(r, { heat: true, cool: false }, 11_000);
    expect(r.board.relays.heat).toBe(false);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'failsafe', reason: 'HB_TIMEOUT' }));
    expect(r.driver.lastFailsafe?.reason).toBe('HB_TIMEOUT');
    expect(r.driver.boardStatus?.flags).toBe(0x01);
    expect(r.driver.stats.missingAnswers).toBeGreaterThan(2);

    r.board.deaf = false;
    await guardWrites(r, { heat: true, cool: false }, 2600);
    expect(r.board.relays.heat).toBe(true);
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'ack', outputs: { heat: true, cool: false } });
    await r.timers.advance(1000);
    expect(r.driver.boardStatus?.flags).toBe(0);
  });

  it('reports the board cutting an output at its max on-time, and its MAXON refusal', async () => {
    const r = await online({}, { limits: { heartbeatTimeoutS: 10, maxOnHeatS: 60, maxOnCoolS: 600 } });
    await guardWrites(r, { heat: true, cool: false }, 60_100);
    expect(r.board.relays.heat).toBe(false);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'failsafe', reason: 'MAXON_HEAT' }));
    await guardWrites(r, { heat: true, cool: false }, 2500);
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'nak', reason: 'MAXON' });
    r.driver.outputs.write({ heat: false, cool: false });
    await r.timers.advance(100);
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'ack' });
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(100);
    expect(r.board.relays.heat).toBe(true);
  });

  it('stops its heartbeat when the guard stops writing, so the board fails safe while the driver still runs', async () => {
    const r = await online();
    await guardWrites(r, { heat: true, cool: false }, 20_000);
    expect(r.board.relays.heat).toBe(true);
    expect(r.events.filter((e) => e.type === 'failsafe')).toEqual([]);
    // The control loop stalls: the driver's own timers go on, but the guard writes nothing.
    const stalledAt = r.clock.now();
    let offAt: number | null = null;
    for (let t = 0; t < 20_000 && offAt === null; t += 100) {
      await r.timers.advance(100);
      if (!r.board.relays.heat) offAt = r.clock.now();
    }
    expect(offAt).not.toBeNull();
    expect((offAt ?? 0) - stalledAt).toBeLessThanOrEqual(5000 + 2500 + 10_000);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'failsafe', reason: 'HB_TIMEOUT' }));
  });

  it('keeps every output off after the board resets by itself until the guard writes all-off, and re-tightens its limits', async () => {
    const limits = { heartbeatTimeoutS: 8, maxOnHeatS: 3600, maxOnCoolS: 7200 };
    const r = await online({}, { limits });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(1000);
    r.board.reset('watchdog');
    expect(r.board.relays.cool).toBe(false);
    await r.timers.advance(100);
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'board-reset',
        sign: 'hello',
        identity: expect.objectContaining({ resetCause: 'watchdog' }),
      }),
    );
    expect(r.driver.identity?.resetCause).toBe('watchdog');
    expect(r.board.limits).toEqual(limits);
    // A guard that has not heard of the reset still asks for the compressor: it stays off.
    for (let i = 0; i < 30; i++) {
      r.driver.outputs.write({ heat: false, cool: true });
      await r.timers.advance(1000);
    }
    expect(r.board.relays.cool).toBe(false);
    // All-off from the guard ends the hold: what it writes next is a fresh decision.
    r.driver.outputs.write({ heat: false, cool: false });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(100);
    expect(r.board.relays.cool).toBe(true);
  });

  it('sees a reset whose HELLO was lost by BOOT in the status line, and keeps the compressor off', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(1500);
    expect(r.board.relays.cool).toBe(true);
    r.board.reset('brown-out', { helloLost: true });
    for (let i = 0; i < 30; i++) {
      r.driver.outputs.write({ heat: false, cool: true });
      await r.timers.advance(1000);
    }
    expect(r.board.relays.cool).toBe(false);
    const resets = r.events.filter((e) => e.type === 'board-reset');
    expect(resets).toEqual([
      expect.objectContaining({
        sign: 'boot-flag',
        identity: expect.objectContaining({ resetCause: 'unknown' }),
      }),
    ]);
    // The all-off OUT cleared BOOT, so a second lost HELLO shows too once outputs were accepted again.
    r.driver.outputs.write({ heat: false, cool: false });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(1500);
    expect(r.board.relays.cool).toBe(true);
    r.board.reset('brown-out', { helloLost: true });
    await r.timers.advance(2000);
    expect(r.events.filter((e) => e.type === 'board-reset')).toHaveLength(2);
    expect(r.board.relays.cool).toBe(false);
  });

  it('switches everything off on close and releases the port', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(100);
    await openWhileRunning(r, r.driver.close());
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    expect(r.sent('OUT').at(-1)).toEqual(['0', '0']);
    expect(r.driver.connected).toBe(false);
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    await openWhileRunning(r, r.driver.open());
    expect(r.driver.connected).toBe(true);
    expect(r.board.maxOpenAtOnce).toBe(1);
  });
});
