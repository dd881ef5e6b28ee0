import { afterEach, describe, expect, it } from 'vitest';
import { openWhileRunning, type Rig, rig } from './helpers.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await openWhileRunning(r, r.driver.close());
});

async function heating(): Promise<Rig> {
  const r = rig({}, { reconnect: { initialMs: 500, maxMs: 4000 } });
  rigs.push(r);
  await openWhileRunning(r, r.driver.open());
  r.driver.outputs.write({ heat: true, cool: false });
  await r.timers.advance(2000);
  expect(r.board.relays.heat).toBe(true);
  return r;
}

describe('unplug and replug', () => {
  it('reports the board gone, reads no probes, and keeps the guard’s outputs for later', async () => {
    const r = await heating();
    expect(r.driver.read().beer).not.toBeNull();
    r.board.unplug();
    await r.timers.advance(10);
    expect(r.events).toContainEqual(
      expect.objectContaining({ type: 'disconnected', reason: expect.stringContaining('disconnected') }),
    );
    expect(r.driver.connected).toBe(false);
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    // The guard keeps ticking and writing while the board is away: nothing is sent, nothing throws.
    r.driver.outputs.write({ heat: false, cool: true });
    await r.timers.advance(100);
    expect(r.board.relays).toEqual({ heat: false, cool: false });
  });

  it('retries the same path with growing back-off while the cable is out', async () => {
    const r = await heating();
    r.board.unplug();
    await r.timers.advance(20_000);
    const failures = r.events.flatMap((e) => (e.type === 'reconnect-failed' ? [e] : []));
    expect(failures.map((f) => f.nextDelayMs)).toEqual([1000, 2000, 4000, 4000, 4000, 4000, 4000]);
    expect(failures[0]?.error).toContain(r.board.path);
    expect(r.board.opens).toBe(1);
  });

  it('reconnects, re-identifies, re-asserts the last outputs and resumes readings, on one port', async () => {
    const r = await heating();
    r.board.unplug();
    await r.timers.advance(3000);
    r.driver.outputs.write({ heat: false, cool: true });
    r.board.replug();
    await r.timers.advance(5000);
    const reconnected = r.events.find((e) => e.type === 'reconnected');
    expect(reconnected).toMatchObject({ identity: { firmware: 'cobrew-ref', resetCause: 'power-on' } });
    expect(r.driver.connected).toBe(true);
    expect(r.board.relays).toEqual({ heat: false, cool: true });
    expect(r.driver.lastOutputAck).toMatchObject({ result: 'ack', outputs: { heat: false, cool: true } });
    expect(r.driver.read().beer).toMatchObject({ value: 20.062 });
    expect(r.board.opens).toBe(2);
    expect(r.board.maxOpenAtOnce).toBe(1);
    expect(r.events.filter((e) => e.type === 'disconnected')).toHaveLength(1);
    expect(r.events.filter((e) => e.type === 'reconnected')).toHaveLength(1);

    // And again: a second unplug is handled the same way.
    r.board.unplug();
    await r.timers.advance(100);
    r.board.replug();
    await r.timers.advance(5000);
    expect(r.events.filter((e) => e.type === 'reconnected')).toHaveLength(2);
    expect(r.board.relays).toEqual({ heat: false, cool: true });
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('keeps trying while the reopened board does not answer its commands', async () => {
    const r = await heating();
    r.board.unplug();
    r.board.deaf = true;
    r.board.replug();
    await r.timers.advance(15_000);
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'reconnect-failed',
        error: expect.stringContaining('did not answer SCAN'),
      }),
    );
    expect(r.driver.connected).toBe(false);
    r.board.deaf = false;
    await r.timers.advance(10_000);
    expect(r.driver.connected).toBe(true);
    expect(r.board.relays.heat).toBe(true);
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('stops retrying when closed', async () => {
    const r = await heating();
    r.board.unplug();
    await r.timers.advance(1000);
    await openWhileRunning(r, r.driver.close());
    const before = r.events.length;
    r.board.replug();
    await r.timers.advance(30_000);
    expect(r.events.length).toBe(before);
    expect(r.driver.connected).toBe(false);
    expect(r.timers.size).toBe(0);
  });
});
