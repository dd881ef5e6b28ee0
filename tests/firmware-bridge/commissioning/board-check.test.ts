// `cobrew board check` against the emulated reference board: identity and sensors, then each output alone
// in a short acknowledged pulse, never heat and cool together, within the guard's output timing, and all
// off at the end, also on a silent board and on Ctrl-C.
import { describe, expect, it } from 'vitest';
import {
  type BoardCheckOptions,
  checkBoard,
  knownOffSince,
} from '../../../firmware-bridge/commissioning/board-check.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { timingLimits } from '../../../firmware-bridge/safety/rules/output-timing.js';
import { ROMS } from '../drivers/line/board-emulator.js';
import { openWhileRunning, type Rig, rig } from '../drivers/line/helpers.js';

function options(r: Rig, over: Partial<BoardCheckOptions> = {}): BoardCheckOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    port: r.board.path,
    driver: r.driver,
    timers: r.timers,
    outputs: ['heat', 'cool'],
    // The defaults: heat off at least 60 s, the compressor 300 s, 600 s between one and the other.
    limits: timingLimits(DEFAULT_SAFETY),
    offSince: r.clock.now() - 3_600_000,
    now: () => r.clock.now(),
    pulseMs: 1500,
    gapMs: 2000,
    names: { [ROMS.beer]: 'beer', [ROMS.chamber]: 'chamber' },
    print: (l) => lines.push(l),
    lines,
    ...over,
  };
}

const DEFAULT_SAFETY = checkFermenterConfig({ id: 'f', name: 'f', board: { type: 'sim' } }).safety;

/** Every OUT the board received, as [heat, cool]. */
const outs = (r: Rig) => r.sent('OUT').map(([h, c]) => [h === '1', c === '1']);

describe('board check', () => {
  it('identifies the board, lists its sensors, and pulses each output alone with an acknowledgement', async () => {
    const r = rig();
    const o = options(r);
    const result = await openWhileRunning(r, checkBoard(o), 1000, 700_000);
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

  it('waits out the dead time after heating before it pulses the compressor, and says why', async () => {
    const r = rig();
    const pulses: Array<{ output: string; onAt: number; offAt: number }> = [];
    const o = options(r, { onPulse: (p) => pulses.push(p) });
    await openWhileRunning(r, checkBoard(o), 1000, 700_000);
    expect(o.lines).toContain(
      'cool may start in 598 s: the other output ran, and the dead time before cooling is 600 s ' +
        '(safety.interlockDeadS); waiting',
    );
    const [heat, cool] = pulses;
    expect(heat?.output).toBe('heat');
    expect(cool?.output).toBe('cool');
    expect((cool?.onAt ?? 0) - (heat?.offAt ?? 0)).toBeGreaterThanOrEqual(600_000);
  });

  it('does not pulse a compressor that stopped less than its minimum off time ago', async () => {
    const r = rig();
    const start = r.clock.now();
    const o = options(r, { outputs: ['cool'], offSince: start - 100_000 });
    let firstCool: number | null = null;
    r.driver.onBoardEvent((e) => {
      if (e.type === 'output-ack' && e.ack.outputs.cool && firstCool === null) firstCool = r.clock.now();
    });
    await openWhileRunning(r, checkBoard(o), 1000, 400_000);
    expect(o.lines).toContain(
      'cool may start in 200 s: its minimum off time is 300 s (safety.cool.minOffS); waiting',
    );
    expect(firstCool).not.toBeNull();
    expect((firstCool ?? 0) - (start - 100_000)).toBeGreaterThanOrEqual(300_000);
  });

  it('counts off times from a clean stop or a check pulse in the journal, and from now after anything else', () => {
    expect(knownOffSince([{ at: 5, kind: 'stop' }])).toBe(5);
    expect(
      knownOffSince([{ at: 9, kind: 'board-check', port: '/dev/x', output: 'heat', onAt: 7, offAt: 9 }]),
    ).toBe(9);
    expect(
      knownOffSince([
        { at: 5, kind: 'stop' },
        { at: 6, kind: 'config-refused', code: 'X', message: '' },
      ]),
    ).toBe(null);
    expect(knownOffSince([])).toBe(null);
  });
});
