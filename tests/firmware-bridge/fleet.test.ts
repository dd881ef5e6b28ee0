// The fleet steps simulated time one control period at a time to follow its clock, keeps a failing
// fermenter safe until its restart without stopping the others, and makes every output safe on stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ScaledClock } from '../../common/clock.js';
import type { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet, pumpWaitMs, tickPhaseMs } from '../../firmware-bridge/fleet.js';
import type { FermenterState, Incident } from '../../firmware-bridge/types.js';

const T0 = Date.UTC(2026, 0, 1);
const configs = ['ale', 'lager'].map((id) => checkFermenterConfig({ id, name: id, board: { type: 'sim' } }));

function rig() {
  let t = T0;
  const clock: Clock = { now: () => t };
  const errors: string[] = [];
  const fleet = createFleet({ fermenters: configs, clock, onError: (id) => errors.push(id) });
  const states = new Map<string, FermenterState[]>();
  const incidents: Incident[] = [];
  for (const f of fleet.fermenters) {
    states.set(f.id, []);
    f.on('state', (s) => states.get(f.id)?.push(s));
    f.on('incident', (i) => incidents.push(i));
  }
  return { fleet, states, incidents, errors, setTime: (ms: number) => (t = T0 + ms) };
}

describe('fleet', () => {
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    vi.useRealTimers();
  });

  it('runs one tick per control period of simulated time, however far the clock jumps', () => {
    vi.useFakeTimers();
    const r = rig();
    fleet = r.fleet;
    fleet.start();
    r.setTime(10 * 60_000);
    vi.advanceTimersByTime(50);
    // The second of two fermenters ticks half a period after the first, every period.
    for (const [phase, list] of [0, 500].map((p, i) => [p, r.states.get(configs[i]?.id ?? '')] as const)) {
      expect(list).toHaveLength(phase === 0 ? 601 : 600);
      expect(list?.every((s, i) => s.at === T0 + phase + i * 1000)).toBe(true);
    }
  });

  it("spreads the fermenters' ticks evenly over the control period, each at the same offset every period", () => {
    expect([0, 1, 2, 99].map((i) => tickPhaseMs(i, 100, 1000))).toEqual([0, 10, 20, 990]);
    expect([0, 1, 2].map((i) => tickPhaseMs(i, 3, 1000))).toEqual([0, 333, 666]);
    expect(tickPhaseMs(0, 1, 1000)).toBe(0);
    vi.useFakeTimers({ now: T0 });
    const many = ['a', 'b', 'c', 'd'].map((id) =>
      checkFermenterConfig({ id, name: id, board: { type: 'sim' } }),
    );
    fleet = createFleet({ fermenters: many, clock: new ScaledClock(1) });
    const ticks: Array<[string, number, number]> = [];
    for (const f of fleet.fermenters) f.on('state', (s) => ticks.push([s.id, s.at - T0, Date.now() - T0]));
    fleet.start();
    vi.advanceTimersByTime(2000);
    // In real time each is read and published at its own offset, not in one burst at the top of the period.
    expect(ticks).toEqual([
      ['a', 0, 0],
      ['b', 250, 250],
      ['c', 500, 500],
      ['d', 750, 750],
      ['a', 1000, 1000],
      ['b', 1250, 1250],
      ['c', 1500, 1500],
      ['d', 1750, 1750],
      ['a', 2000, 2000],
    ]);
  });

  it('makes a fermenter whose tick fails safe until its restart, while the others go on', () => {
    vi.useFakeTimers();
    const r = rig();
    fleet = r.fleet;
    const ale = fleet.fermenters[0] as unknown as { tick(): FermenterState };
    ale.tick = () => {
      throw new Error('board went away');
    };
    fleet.start();
    r.setTime(5000);
    vi.advanceTimersByTime(50);
    expect(r.errors).toEqual(['ale']);
    expect(r.incidents.map((i) => [i.fermenterId, i.code])).toEqual([['ale', 'COBREW_ERR_FORCED_SAFE']]);
    // lager ticks half a period after ale: at 0.5 s to 4.5 s.
    expect(r.states.get('lager')).toHaveLength(5);
  });

  it('ends the fleet when a failed fermenter cannot be made safe, switching the others off first', async () => {
    const r = rig();
    const ale = r.fleet.fermenters[0] as unknown as Fermenter;
    ale.tick = () => {
      throw new Error('controller bug');
    };
    ale.board.outputs.write = () => {
      throw new Error('the port is gone');
    };
    expect(() => r.fleet.start()).toThrow(expect.objectContaining({ code: 'COBREW_ERR_OUTPUTS_UNSAFE' }));
    await expect(r.fleet.stop()).rejects.toThrow('the port is gone');
    const lagerOff = r.incidents.filter(
      (i) => i.fermenterId === 'lager' && i.code === 'COBREW_ERR_FORCED_SAFE',
    );
    expect(lagerOff.map((i) => i.context.detail?.reason)).toEqual(['shutdown']);
  });

  it('switches every output off on stop', async () => {
    const r = rig();
    fleet = r.fleet;
    fleet.start();
    await fleet.stop();
    fleet = undefined;
    expect(r.incidents.map((i) => [i.fermenterId, i.code, i.context.outputs])).toEqual([
      ['ale', 'COBREW_ERR_FORCED_SAFE', { heat: false, cool: false }],
      ['lager', 'COBREW_ERR_FORCED_SAFE', { heat: false, cool: false }],
    ]);
  });

  it('in real time runs a tick when it is due, not up to a pump later', () => {
    vi.useFakeTimers({ now: T0 });
    fleet = createFleet({ fermenters: configs, clock: new ScaledClock(1) });
    const ats: number[] = [];
    fleet.fermenters[0]?.on('state', (s) => ats.push(s.at));
    // Started off the tick grid, as a real start is: a fixed 50 ms pump would reach 1000 ms only at 1030 ms.
    vi.advanceTimersByTime(30);
    fleet.start();
    vi.advanceTimersByTime(1000 - 30 + 1);
    expect(ats).toEqual([T0, T0 + 1000]);
  });
});

describe('pumpWaitMs', () => {
  it('wakes the pump when the next tick is due, at most a pump (50 ms) away', () => {
    expect(pumpWaitMs(7, 1, 1000)).toBe(7);
    expect(pumpWaitMs(0.2, 1, 1000)).toBe(1);
    expect(pumpWaitMs(-5, 1, 1000)).toBe(1);
    expect(pumpWaitMs(900, 1, 1000)).toBe(50);
    expect(pumpWaitMs(Number.POSITIVE_INFINITY, 1, 1000)).toBe(50);
    // At ×10 a 1 s tick is 100 wall ms apart: still woken on time (70 sim ms = 7 wall ms).
    expect(pumpWaitMs(70, 10, 1000)).toBe(7);
  });

  it('catches a fast simulation up a pump at a time rather than waking for every tick', () => {
    expect(pumpWaitMs(10, 60, 1000)).toBe(50);
    expect(pumpWaitMs(10, 600, 1000)).toBe(50);
  });
});
