// `cobrew board check` against the emulated reference board: identity and sensors, then each output alone
// in a short acknowledged pulse, never heat and cool together, and all off at the end, also on a silent
// board and on Ctrl-C.
import { describe, expect, it } from 'vitest';
import { type BoardCheckOptions, checkBoard } from '../../../firmware-bridge/commissioning/board-check.js';
import { ROMS } from '../drivers/line/board-emulator.js';
import { openWhileRunning, type Rig, rig } from '../drivers/line/helpers.js';

function options(r: Rig, over: Partial<BoardCheckOptions> = {}): BoardCheckOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    port: r.board.path,
    driver: r.driver,
    timers: r.timers,
    outputs: ['heat', 'cool'],
    pulseMs: 1500,
    gapMs: 2000,
    names: { [ROMS.beer]: 'beer', [ROMS.chamber]: 'chamber' },
    print: (l) => lines.push(l),
    lines,
    ...over,
  };
}

/** Every OUT the board received, as [heat, cool]. */
const outs = (r: Rig) => r.sent('OUT').map(([h, c]) => [h === '1', c === '1']);

describe('board check', () => {
  it('identifies the board, lists its sensors, and pulses each output alone with an acknowledgement', async () => {
    const r = rig();
    const o = options(r);
    const result = await openWhileRunning(r, checkBoard(o));
    expect(o.lines[0]).toBe(
      `Board on ${r.board.path}: cobrew-ref 1.0.0, profile ref-uno-r1, last reset: power-on`,
    );
    expect(o.lines[1]).toBe('Sensors found: 3');
    expect(o.lines).toContain(`  ${ROMS.beer} (beer)`);
    expect(o.lines).toContain(`  ${ROMS.ambient}`);
    expect(result.steps).toEqual([
      { output: 'heat', on: 'ack', seen: { heat: true, cool: false }, off: 'ack' },
      { output: 'cool', on: 'ack', seen: { heat: false, cool: true }, off: 'ack' },
    ]);
    expect(result.ok).toBe(true);
    expect(o.lines.at(-1)).toBe('Every output answered. All outputs off.');
    // One at a time: never both, and off in between.
    const seq = outs(r).filter(([h, c], i, all) => i === 0 || h !== all[i - 1]?.[0] || c !== all[i - 1]?.[1]);
    expect(seq).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [false, true],
      [false, false],
    ]);
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    expect(r.driver.connected).toBe(false);
  });

  it('reports a board that stops answering, and still leaves everything off and the port closed', async () => {
    const r = rig();
    const o = options(r, { outputs: ['heat'] });
    r.driver.onEvent((e) => {
      if (e.type === 'identified') r.board.deaf = true;
    });
    const result = await openWhileRunning(r, checkBoard(o));
    expect(result.steps[0]).toMatchObject({ output: 'heat', on: 'missing', off: 'missing' });
    expect(result.ok).toBe(false);
    expect(r.driver.connected).toBe(false);
    expect(r.board.relays).toEqual({ heat: false, cool: false });
  });

  it('on Ctrl-C during a pulse switches the output off and closes the port', async () => {
    const r = rig();
    const abort = new AbortController();
    const o = options(r, { signal: abort.signal, pulseMs: 10_000 });
    const run = checkBoard(o);
    let stopped: unknown = null;
    run.catch((err: unknown) => {
      stopped = err;
    });
    for (let i = 0; i < 100 && !r.board.relays.heat; i++) await r.timers.advance(100);
    expect(r.board.relays.heat).toBe(true);
    abort.abort();
    await openWhileRunning(
      r,
      run.catch(() => null),
    );
    expect(stopped).toMatchObject({ code: 'COBREW_ERR_BOARD_CHECK_ABORTED' });
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    expect(outs(r).at(-1)).toEqual([false, false]);
    expect(outs(r).some(([, c]) => c)).toBe(false);
    expect(r.driver.connected).toBe(false);
  });
});
