// The real byte path: serialport 13 (SerialPortMock) → firmata-io → Firmata bytes answered by a responder
// that speaks ConfigurableFirmata / StandardFirmata.
import { afterEach, describe, expect, it } from 'vitest';
import { ROMS } from './firmata-responder.js';
import { type FirmataRig, firmataRig, whileRunning } from './helpers.js';

const rigs: FirmataRig[] = [];
function make(...args: Parameters<typeof firmataRig>): FirmataRig {
  const r = firmataRig(...args);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) await whileRunning(r.timers, r.driver.close());
});

async function online(...args: Parameters<typeof firmataRig>): Promise<FirmataRig> {
  const r = make(...args);
  await whileRunning(r.timers, r.driver.open());
  return r;
}

const OUTPUT = 1;

describe('ConfigurableFirmata over serialport 13', () => {
  it('identifies the sketch from REPORT_FIRMWARE and lists the DS18B20s the bus search finds', async () => {
    const r = await online({ bootMs: 1600 });
    expect(r.driver.identity).toEqual({
      firmware: 'ConfigurableFirmata',
      version: '2.10',
      profile: 'uno-firmata',
      sensors: [ROMS.beer, ROMS.chamber, ROMS.ambient],
    });
    expect(r.driver.connected).toBe(true);
    expect(r.events).toEqual([{ type: 'identified', at: expect.any(Number), identity: r.driver.identity }]);
    // firmata-io asked for capabilities and the analog mapping before it was ready.
    const sysex = r.board.heard.filter((m) => m[0] === 0xf0).map((m) => m[1]);
    expect(sysex).toEqual(expect.arrayContaining([0x6b, 0x69, 0x73]));
    // Relay pins are outputs, and off.
    expect(r.board.pin(7)).toEqual({ mode: OUTPUT, level: 0 });
    expect(r.board.pin(8)).toEqual({ mode: OUTPUT, level: 0 });
  });

  it('reads each probe after its 750 ms conversion, with the CRC checked', async () => {
    const r = await online();
    // Before the first sample the probes are unknown, not 85 °C.
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    // Read too early, a DS18B20 still holds its power-on 85 °C: the driver must never pass that on.
    const seen = new Set<number | undefined>();
    for (let t = 0; t < 3000; t += 50) {
      await r.timers.advance(50);
      seen.add(r.driver.read().beer?.value);
    }
    expect([...seen]).toEqual([undefined, 19.5]);
    const frame = r.driver.read();
    expect(frame.beer?.value).toBe(19.5);
    expect(frame.chamber?.value).toBe(17.25);
    expect(frame.ambient?.value).toBe(21.0625);
    expect(r.board.conversions).toBeGreaterThanOrEqual(6);
    expect(r.driver.stats.badScratchpads).toBe(0);
    r.board.probes.set(ROMS.beer, 18.75);
    await r.timers.advance(2000);
    expect(r.driver.read().beer).toMatchObject({ value: 18.75, at: expect.any(Number) });
    expect(r.clock.now() - (r.driver.read().beer?.at ?? 0)).toBeLessThanOrEqual(1000);
  });

  it('turns a corrupted scratchpad or a missing probe into −127 for the guard to judge', async () => {
    const r = await online();
    await r.timers.advance(2000);
    r.board.noisy.add(ROMS.chamber);
    r.board.probes.delete(ROMS.ambient);
    await r.timers.advance(2000);
    const frame = r.driver.read();
    expect(frame.chamber?.value).toBe(-127);
    expect(frame.ambient?.value).toBe(-127);
    expect(frame.beer?.value).toBe(19.5);
    expect(r.driver.stats.badScratchpads).toBeGreaterThanOrEqual(2);
  });

  it('drives the relay pins with DIGITAL_MESSAGE, and never both at once', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(10);
    expect(r.board.pin(7).level).toBe(1);
    expect(r.board.pin(8).level).toBe(0);
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(10);
    expect([r.board.pin(7).level, r.board.pin(8).level]).toEqual([0, 1]);
    r.driver.outputs.write({ heat: true, cool: true });
    await r.timers.advance(10);
    expect([r.board.pin(7).level, r.board.pin(8).level]).toEqual([0, 0]);
    expect(r.driver.stats.interlockRefusals).toBe(1);
  });

  it('inverts levels for active-low relay modules, writing the off level before making the pin an output', async () => {
    const r = await online({}, { activeLow: true });
    expect(r.board.pin(7)).toEqual({ mode: OUTPUT, level: 1 });
    const pinMode7 = r.board.heard.findIndex((m) => m[0] === 0xf4 && m[1] === 7);
    const firstWrite = r.board.heard.findIndex((m) => m[0] === 0x90);
    expect(firstWrite).toBeGreaterThanOrEqual(0);
    expect(firstWrite).toBeLessThan(pinMode7);
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(10);
    expect([r.board.pin(7).level, r.board.pin(8).level]).toEqual([0, 1]);
  });

  it('sets its pins up again, off, when the sketch resets with the port open, and reports the reset with the identity', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(10);
    r.board.reset();
    expect(r.board.pin(8).mode).toBeUndefined();
    await r.timers.advance(100);
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'board-reset',
        sign: 'report-version',
        identity: expect.objectContaining({ profile: 'uno-firmata', resetCause: 'unknown' }),
      }),
    );
    // Off, and off while the guard still asks for what it wanted before the reset.
    expect(r.board.pin(8)).toEqual({ mode: OUTPUT, level: 0 });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(3000);
    expect(r.board.pin(8).level).toBe(0);
    expect(r.driver.read().beer?.value).toBe(19.5);
    // Once the guard has written all-off, it decides again.
    r.driver.outputs.write({ heat: false, cool: false });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(10);
    expect(r.board.pin(8).level).toBe(1);
  });

  it('switches everything off before it lets the port go', async () => {
    const r = await online();
    r.driver.outputs.write({ heat: true, cool: false });
    await r.timers.advance(10);
    const heardBefore = r.board.heard.length;
    await whileRunning(r.timers, r.driver.close());
    const last = r.board.heard.slice(heardBefore).filter((m) => m[0] === 0x90);
    expect(last.at(-1)).toEqual([0x90, 0, 0]);
    expect(r.driver.connected).toBe(false);
  });
});

describe('parasite-powered probes', () => {
  it('hold the line high while converting and wait longer; without the option they never convert', async () => {
    const r = await online({ parasite: true }, { parasitePower: true });
    for (let t = 0; t < 3000; t += 100) await r.timers.advance(100);
    expect(r.board.powerFlag).toBe(true);
    expect(r.driver.read().beer?.value).toBe(19.5);
    // The longest gap from a conversion to its read is the host's wait (750 ms + 250 ms margin).
    expect(Math.max(...r.board.conversionReads)).toBe(1000);

    const plain = await online({ parasite: true });
    for (let t = 0; t < 3000; t += 100) await plain.timers.advance(100);
    expect(plain.board.powerFlag).toBe(false);
    // The probe keeps its power-on scratchpad: 85 °C, which the guard judges as a power-on fault.
    expect(plain.driver.read().beer?.value).toBe(85);
    expect(Math.max(...plain.board.conversionReads)).toBe(800);
  });
});

describe('StandardFirmata (relays only)', () => {
  it('refuses a OneWire pin the sketch cannot drive, naming the fix', async () => {
    const r = make({ sketch: 'StandardFirmata' });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_FIRMATA_NO_ONEWIRE' });
    expect((err as Error).message).toContain('StandardFirmata');
    const text = (err as Error).message;
    expect(text).toContain('change the line `// #define ENABLE_ONE_WIRE` to `#define ENABLE_ONE_WIRE`');
    expect(text).toContain('`#include <OneWireFirmata.h>`, `OneWireFirmata oneWire;`');
    expect(text).toContain('`firmataExt.addFeature(oneWire);`');
    expect(r.driver.connected).toBe(false);
  });

  it('drives relays without a bus; every probe then reads null (missing), for the guard to hold outputs safe', async () => {
    const r = await online({ sketch: 'StandardFirmata' }, { pins: { heat: 7, cool: 8 } });
    expect(r.driver.identity).toMatchObject({ firmware: 'StandardFirmata', sensors: [] });
    await r.timers.advance(3000);
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    expect(r.board.heard.some((m) => m[0] === 0xf0 && m[1] === 0x73)).toBe(false);
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(10);
    expect(r.board.pin(8).level).toBe(1);
  });
});

describe('handshake failures', () => {
  it('names port and baud when no Firmata answers, and frees the port', async () => {
    const r = make({ bootMs: 60_000 }, { handshakeTimeoutMs: 3000 });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_FIRMATA_NO_ANSWER' });
    expect((err as Error).message).toContain(r.board.path);
    // ConfigurableFirmata 3.x's rate first, then StandardFirmata's, each tried and named.
    expect((err as Error).message).toContain('at 115200 and 57600 baud within 3000 ms each');
    expect(r.board.opens).toBe(2);
    // The port is free again: a second open reaches the board.
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('finds a 57600 baud sketch after 115200 gives no handshake, and reconnects at 57600 first', async () => {
    const r = make({ baudRate: 57600 }, { handshakeTimeoutMs: 3000 });
    await whileRunning(r.timers, r.driver.open());
    expect(r.driver.baudRate).toBe(57600);
    expect(r.board.opens).toBe(2);
    expect(r.driver.identity).toMatchObject({ firmware: 'ConfigurableFirmata' });
    r.board.unplug();
    await r.timers.advance(100);
    r.board.replug();
    for (let t = 0; t < 20_000 && !r.driver.connected; t += 100) await r.timers.advance(100);
    expect(r.driver.connected).toBe(true);
    expect(r.board.hostBaud).toBe(57600);
    expect(r.board.opens).toBe(3);
  });

  it('keeps to an explicit baud rate', async () => {
    const r = make({ baudRate: 57600 }, { handshakeTimeoutMs: 3000, baudRate: 115200 });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect((err as Error).message).toContain('at 115200 baud within');
    expect(r.board.opens).toBe(1);
  });

  it('names the pins the board offers when a relay pin is not a digital output', async () => {
    const r = make({}, { pins: { heat: 1, cool: 8, oneWire: 2 } });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_FIRMATA_PIN' });
    expect((err as Error).message).toMatch(/pin 1 .*heat.*pins 2, 3/);
  });
});
