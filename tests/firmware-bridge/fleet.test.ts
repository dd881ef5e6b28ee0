// The fleet steps simulated time one control period at a time to follow its clock, keeps a failing
// fermenter safe until its restart without stopping the others, and makes every output safe on stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ScaledClock } from '../../common/clock.js';
import type { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet, pumpWaitMs, TICK_GROUP, tickPhaseMs } from '../../firmware-bridge/fleet.js';
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
    // The pump sleeps until the next tick is due, a control period (1 s) at most.
    vi.advanceTimersByTime(1000);
    for (const list of r.states.values()) {
      expect(list).toHaveLength(601);
      expect(list.at(-1)?.at).toBe(T0 + 600_000);
      expect(list.every((s, i) => s.at === T0 + i * 1000)).toBe(true);
    }
  });

  it("spreads groups of fermenters' ticks evenly over the control period, each at the same offset every period", () => {
    expect(TICK_GROUP).toBe(8);
    // A few fermenters tick together; 100 go in 13 groups, 77 ms apart.
    expect([0, 3].map((i) => tickPhaseMs(i, 4, 1000))).toEqual([0, 0]);
    expect([0, 7, 8].map((i) => tickPhaseMs(i, 9, 1000))).toEqual([0, 0, 500]);
    expect([0, 7, 8, 16, 99].map((i) => tickPhaseMs(i, 100, 1000))).toEqual([0, 0, 76, 153, 923]);
    vi.useFakeTimers({ now: T0 });
    const many = Array.from({ length: 20 }, (_, i) =>
      checkFermenterConfig({ id: `f${i}`, name: `f${i}`, board: { type: 'sim' } }),
    );
    fleet = createFleet({ fermenters: many, clock: new ScaledClock(1) });
    const ticks = new Map<string, Array<[number, number]>>();
    for (const f of fleet.fermenters)
      f.on('state', (s) => ticks.set(s.id, [...(ticks.get(s.id) ?? []), [s.at - T0, Date.now() - T0]]));
    fleet.start();
    vi.advanceTimersByTime(2000);
    // In real time each group is read and published at its own offset, every period.
    for (const [i, f] of many.entries()) {
      const phase = [0, 333, 666][Math.floor(i / 8)] as number;
      const expected = [phase, phase + 1000, ...(phase === 0 ? [2000] : [])].map((t) => [t, t]);
      expect(ticks.get(f.id), f.id).toEqual(expected);
    }
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
    expect(r.errors).toEqual(['ale']);
    r.setTime(5000);
    // A second later the pump wakes, and so does ale's restart: it fails again at its next tick.
    vi.advanceTimersByTime(1000);
    expect(r.errors).toEqual(['ale', 'ale']);
    expect(r.incidents.map((i) => [i.fermenterId, i.code])).toEqual([
      ['ale', 'COBREW_ERR_FORCED_SAFE'],
      ['ale', 'COBREW_ERR_FORCED_SAFE'],
    ]);
    expect(r.states.get('ale')).toEqual([]);
    expect(r.states.get('lager')).toHaveLength(6);
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

  it('in real time ticks a restarted fermenter when it is due, though the pump slept until the others', () => {
    vi.useFakeTimers({ now: T0 });
    // Two groups: eight fermenters at the start of each second, the ninth half a second later.
    const nine = Array.from({ length: 9 }, (_, i) =>
      checkFermenterConfig({ id: `f${i}`, name: `f${i}`, board: { type: 'sim' } }),
    );
    fleet = createFleet({ fermenters: nine, clock: new ScaledClock(1), onError: () => {} });
    const last = fleet.fermenters[8] as unknown as { tick(): FermenterState; on: Fermenter['on'] };
    const tick = last.tick.bind(last);
    let fails = 1;
    last.tick = () => {
      if (fails-- > 0) throw new Error('board went away');
      return tick();
    };
    const seen: Array<[number, number]> = [];
    last.on('state', (s) => seen.push([s.at - T0, Date.now() - T0]));
    fleet.start();
    // It fails at 500 ms and restarts a second later, at 1500 ms, read and published then.
    vi.advanceTimersByTime(2600);
    expect(seen).toEqual([
      [1500, 1500],
      [2500, 2500],
    ]);
  });
});

describe('pumpWaitMs', () => {
  it('wakes the pump when the next tick is due, at most a wall tick period away', () => {
    expect(pumpWaitMs(7, 1, 1000)).toBe(7);
    expect(pumpWaitMs(0.2, 1, 1000)).toBe(1);
    expect(pumpWaitMs(-5, 1, 1000)).toBe(1);
    // Idle between two ticks in real time: one wake a tick, not one every 50 ms.
    expect(pumpWaitMs(900, 1, 1000)).toBe(900);
    expect(pumpWaitMs(Number.POSITIVE_INFINITY, 1, 1000)).toBe(1000);
    expect(pumpWaitMs(5000, 1, 1000)).toBe(1000);
    expect(pumpWaitMs(Number.POSITIVE_INFINITY, 2, 1000)).toBe(500);
    // At ×10 a 1 s tick is 100 wall ms apart: still woken on time (70 sim ms = 7 wall ms).
    expect(pumpWaitMs(70, 10, 1000)).toBe(7);
  });

  it('catches a fast simulation up a pump at a time rather than waking for every tick', () => {
    expect(pumpWaitMs(10, 60, 1000)).toBe(50);
    expect(pumpWaitMs(10, 600, 1000)).toBe(50);
  });
});
