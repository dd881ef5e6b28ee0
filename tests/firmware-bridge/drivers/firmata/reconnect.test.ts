import { afterEach, describe, expect, it } from 'vitest';
import { type FirmataRig, firmataRig, whileRunning } from './helpers.js';

const rigs: FirmataRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await whileRunning(r.timers, r.driver.close());
});

async function heating(): Promise<FirmataRig> {
  const r = firmataRig({ bootMs: 1600 }, { reconnect: { initialMs: 500, maxMs: 4000 } });
  rigs.push(r);
  await whileRunning(r.timers, r.driver.open());
  r.driver.outputs.write({ heat: true, cool: false });
  await r.timers.advance(2000);
  expect(r.board.pin(7).level).toBe(1);
  return r;
}

describe('unplug and replug (Firmata)', () => {
  it('reports the board gone, reads null probes, and takes the guard’s writes without sending them', async () => {
    const r = await heating();
    expect(r.driver.read().beer).not.toBeNull();
    r.board.unplug();
    await r.timers.advance(10);
    expect(r.events).toContainEqual(
      expect.objectContaining({ type: 'disconnected', reason: expect.stringContaining('disconnected') }),
    );
    expect(r.driver.connected).toBe(false);
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(100);
    expect(r.board.pin(8).level).toBe(0);
  });

  it('retries the same path with growing back-off, then re-identifies and re-asserts outputs on one port', async () => {
    const r = await heating();
    r.board.unplug();
    await r.timers.advance(8000);
    const failures = r.events.flatMap((e) => (e.type === 'reconnect-failed' ? [e] : []));
    expect(failures.map((f) => f.nextDelayMs)).toEqual([1000, 2000, 4000, 4000]);
    expect(failures[0]?.error).toContain(r.board.path);
    r.driver.outputs.write({ heat: false, cool: true });
    r.board.replug();
    await r.timers.advance(8000);
    expect(r.events.filter((e) => e.type === 'reconnected')).toEqual([
      expect.objectContaining({ identity: expect.objectContaining({ firmware: 'ConfigurableFirmata' }) }),
    ]);
    expect(r.driver.connected).toBe(true);
    expect([r.board.pin(7).level, r.board.pin(8).level]).toEqual([0, 1]);
    expect(r.driver.read().beer?.value).toBe(19.5);
    expect(r.board.opens).toBe(2);
    expect(r.board.maxOpenAtOnce).toBe(1);

    // A second time works the same way.
    r.board.unplug();
    await r.timers.advance(100);
    r.board.replug();
    await r.timers.advance(8000);
    expect(r.events.filter((e) => e.type === 'reconnected')).toHaveLength(2);
    expect(r.board.pin(8).level).toBe(1);
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('keeps trying while the replugged board does not complete the handshake', async () => {
    const r = await heating();
    r.board.unplug();
    r.board.deaf = true;
    r.board.replug();
    await r.timers.advance(40_000);
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'reconnect-failed',
        error: expect.stringContaining('No Firmata handshake'),
      }),
    );
    expect(r.driver.connected).toBe(false);
    r.board.deaf = false;
    await r.timers.advance(20_000);
    expect(r.driver.connected).toBe(true);
    expect(r.board.pin(7).level).toBe(1);
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('stops retrying when closed', async () => {
    const r = await heating();
    r.board.unplug();
    await r.timers.advance(1000);
    await whileRunning(r.timers, r.driver.close());
    const before = r.events.length;
    r.board.replug();
    await r.timers.advance(30_000);
    expect(r.events.length).toBe(before);
    expect(r.timers.size).toBe(0);
  });
});
