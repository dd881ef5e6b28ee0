import { describe, expect, it } from 'vitest';
import {
  SIM_FAULT_KINDS,
  type SimFault,
  type SimFaultKind,
  UnknownFaultError,
} from '../../../firmware-bridge/sim/sim-board.js';
import { H, MIN, NO_YEAST, room, S, setup } from './helpers.js';

/** A board whose beer (24 °C) and chamber (cooled for 20 min) clearly differ, read without noise. */
function divergent() {
  const s = setup({ startBeerC: 24, sensorNoiseC: 0, ...NO_YEAST }, room(20));
  s.board.outputs.write({ heat: false, cool: true });
  s.clock.advance(20 * MIN);
  s.board.outputs.write({ heat: false, cool: false });
  return s;
}

const EXAMPLES: Record<SimFaultKind, SimFault> = {
  'sensor-unplugged': { kind: 'sensor-unplugged', probe: 'beer' },
  'sensor-power-on': { kind: 'sensor-power-on', probe: 'chamber' },
  'sensor-stuck': { kind: 'sensor-stuck', probe: 'ambient' },
  'probes-swapped': { kind: 'probes-swapped' },
  'probe-duplicated': { kind: 'probe-duplicated', source: 'beer' },
  'relay-welded': { kind: 'relay-welded', output: 'cool' },
  'heater-detached': { kind: 'heater-detached' },
  'compressor-dead': { kind: 'compressor-dead' },
  'door-open': { kind: 'door-open' },
  heatwave: { kind: 'heatwave', deltaC: 6 },
};

function thrown(fn: () => void): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('sensor faults', () => {
  it('sensor-unplugged reads -127 with time still advancing, until cleared', () => {
    const { board, clock } = divergent();
    const before = board.read();
    board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    expect(board.read().beer?.value).toBe(-127);
    expect(board.read().chamber).toEqual(before.chamber);
    clock.advance(5 * S);
    const later = board.read();
    expect(later.beer?.value).toBe(-127);
    expect(later.beer?.at).toBeGreaterThan(before.beer?.at ?? Number.POSITIVE_INFINITY);
    board.clear('sensor-unplugged');
    expect(board.read().beer?.value).toBeCloseTo(board.truth().beerC, 0);
  });

  it('sensor-power-on reads 85 until cleared', () => {
    const { board } = divergent();
    const before = board.read();
    board.inject({ kind: 'sensor-power-on', probe: 'chamber' });
    expect(board.read().chamber?.value).toBe(85);
    board.clear('sensor-power-on');
    expect(board.read()).toEqual(before);
  });

  it('sensor-stuck freezes the value while `at` moves on and the truth changes', () => {
    const { board, clock } = setup({ sensorNoiseC: 0.05, startBeerC: 20, ...NO_YEAST }, room(20));
    board.inject({ kind: 'sensor-stuck', probe: 'chamber' });
    const frozen = board.read().chamber;
    board.outputs.write({ heat: false, cool: true });
    clock.advance(10 * MIN);
    const stuck = board.read().chamber;
    expect(stuck?.value).toBe(frozen?.value);
    expect(stuck?.at).toBe((frozen?.at ?? 0) + 10 * MIN);
    expect(board.truth().chamberC).toBeLessThan((frozen?.value ?? 0) - 2);
    board.clear('sensor-stuck');
    expect(board.read().chamber?.value).toBeLessThan((frozen?.value ?? 0) - 2);
  });

  it('probes-swapped exchanges beer and chamber readings', () => {
    const { board } = divergent();
    const before = board.read();
    expect(Math.abs((before.beer?.value ?? 0) - (before.chamber?.value ?? 0))).toBeGreaterThan(2);
    board.inject({ kind: 'probes-swapped' });
    const swapped = board.read();
    expect(swapped.beer).toEqual(before.chamber);
    expect(swapped.chamber).toEqual(before.beer);
    expect(swapped.ambient).toEqual(before.ambient);
    board.clear();
    expect(board.read()).toEqual(before);
  });

  it('probe-duplicated makes beer and chamber read the same probe', () => {
    const { board } = divergent();
    const before = board.read();
    board.inject({ kind: 'probe-duplicated', source: 'chamber' });
    const dup = board.read();
    expect(dup.beer).toEqual(before.chamber);
    expect(dup.chamber).toEqual(before.chamber);
    board.inject({ kind: 'probe-duplicated', source: 'beer' });
    expect(board.read().chamber).toEqual(before.beer);
    expect(board.activeFaults()).toEqual([{ kind: 'probe-duplicated', source: 'beer' }]);
    board.clear('probe-duplicated');
    expect(board.read()).toEqual(before);
  });

  it('reports a faulty probe wherever it is wired: an unplugged beer probe, swapped, shows up as chamber', () => {
    const { board } = divergent();
    board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    board.inject({ kind: 'probes-swapped' });
    expect(board.read().chamber?.value).toBe(-127);
    expect(board.read().beer?.value).not.toBe(-127);
  });
});

describe('actuator and cabinet faults', () => {
  it('relay-welded keeps the relay on whatever is written, drawing power and heating', () => {
    const { board, clock } = setup({ startBeerC: 20, heaterW: 100, ...NO_YEAST }, room(20));
    board.inject({ kind: 'relay-welded', output: 'heat' });
    board.outputs.write({ heat: false, cool: false });
    clock.advance(H);
    const t = board.truth();
    expect(t.relays).toEqual({ heat: true, cool: false });
    expect(t.energyWh.heat).toBeCloseTo(100, 6);
    expect(t.chamberC).toBeGreaterThan(25);
    board.clear('relay-welded');
    clock.advance(H);
    expect(board.truth().relays).toEqual({ heat: false, cool: false });
    expect(board.truth().energyWh.heat).toBeCloseTo(100, 6);
  });

  it('heater-detached: a vessel wrap stops warming the beer directly and warms the air instead', () => {
    const heat = (detached: boolean) => {
      const { board, clock } = setup({ startBeerC: 20, heaterMount: 'vessel', ...NO_YEAST }, room(20));
      if (detached) board.inject({ kind: 'heater-detached' });
      board.outputs.write({ heat: true, cool: false });
      clock.advance(H);
      return board.truth();
    };
    const attached = heat(false);
    const detached = heat(true);
    expect(detached.beerC - 20).toBeLessThan((attached.beerC - 20) / 3);
    expect(detached.chamberC).toBeGreaterThan(attached.chamberC + 3);
  });

  it('heater-detached: a chamber heater on the floor still warms the air, less, and warms the liner', () => {
    const heat = (detached: boolean) => {
      const { board, clock } = setup({ startBeerC: 20, heaterMount: 'chamber', ...NO_YEAST }, room(20));
      if (detached) board.inject({ kind: 'heater-detached' });
      board.outputs.write({ heat: true, cool: false });
      clock.advance(H);
      return board.truth();
    };
    const attached = heat(false);
    const fallen = heat(true);
    expect(fallen.chamberC).toBeGreaterThan(24);
    expect(fallen.chamberC).toBeLessThan(attached.chamberC);
    expect(fallen.wallC).toBeGreaterThan(attached.wallC);
  });

  it('compressor-dead draws power but moves no heat, and clearing brings the cooling back', () => {
    const { board, clock } = setup({ startBeerC: 20, compressorW: 90, ...NO_YEAST }, room(20));
    board.inject({ kind: 'compressor-dead' });
    board.outputs.write({ heat: false, cool: true });
    clock.advance(30 * MIN);
    const dead = board.truth();
    expect(dead.energyWh.cool).toBeCloseTo(45, 6);
    expect(dead.chamberC).toBeGreaterThan(19.99);
    expect(dead.evaporatorC).toBeGreaterThan(19.99);
    board.clear('compressor-dead');
    clock.advance(10 * MIN);
    expect(board.truth().chamberC).toBeLessThan(17);
  });

  it('door-open couples the chamber to the room', () => {
    const chamberAfter = (open: boolean) => {
      const { board, clock } = setup({ startBeerC: 20, ...NO_YEAST }, room(30));
      if (open) board.inject({ kind: 'door-open' });
      clock.advance(30 * MIN);
      return board.truth().chamberC;
    };
    expect(chamberAfter(true) - 20).toBeGreaterThan(3 * (chamberAfter(false) - 20));
  });

  it('heatwave raises the room, which the ambient probe then reads, and clears back', () => {
    const { board, clock } = setup({ sensorNoiseC: 0, ...NO_YEAST }, room(20));
    board.inject({ kind: 'heatwave', deltaC: 8 });
    expect(board.truth().ambientC).toBe(28);
    clock.advance(10 * MIN);
    expect(board.read().ambient?.value).toBeCloseTo(28, 0);
    board.inject({ kind: 'heatwave', deltaC: 4 });
    expect(board.truth().ambientC).toBe(24);
    expect(board.activeFaults()).toEqual([{ kind: 'heatwave', deltaC: 4 }]);
    board.clear('heatwave');
    expect(board.truth().ambientC).toBe(20);
  });
});

describe('fault bookkeeping', () => {
  it('accepts and clears an example of every kind', () => {
    const { board } = setup();
    expect(Object.keys(EXAMPLES).sort()).toEqual([...SIM_FAULT_KINDS].sort());
    for (const f of Object.values(EXAMPLES)) board.inject(f);
    expect(board.activeFaults()).toHaveLength(SIM_FAULT_KINDS.length);
    board.clear('door-open');
    expect(board.activeFaults().map((f) => f.kind)).not.toContain('door-open');
    expect(board.activeFaults()).toHaveLength(SIM_FAULT_KINDS.length - 1);
    board.clear();
    expect(board.activeFaults()).toEqual([]);
  });

  it('keeps one fault per kind and target', () => {
    const { board } = setup();
    board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    board.inject({ kind: 'sensor-unplugged', probe: 'chamber' });
    board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    expect(board.activeFaults()).toHaveLength(2);
  });

  it('hands out copies of its faults', () => {
    const { board } = setup();
    board.inject({ kind: 'heatwave', deltaC: 5 });
    const [f] = board.activeFaults();
    if (f?.kind === 'heatwave') f.deltaC = 50;
    expect(board.activeFaults()).toEqual([{ kind: 'heatwave', deltaC: 5 }]);
  });

  it('throws a typed error naming the allowed kinds for an unknown kind', () => {
    const { board } = setup();
    const bad = { kind: 'lightning' } as unknown as SimFault;
    expect(() => board.inject(bad)).toThrow(UnknownFaultError);
    const error = thrown(() => board.inject(bad));
    expect(error.code).toBe('COBREW_ERR_UNKNOWN_FAULT');
    expect(error.message).toContain('"lightning"');
    for (const k of SIM_FAULT_KINDS) expect(error.message).toContain(k);
    expect(() => board.clear('lightning' as SimFaultKind)).toThrow(UnknownFaultError);
  });

  it('rejects a known kind with bad fields with a validation error', () => {
    const { board } = setup();
    const bad = { kind: 'sensor-unplugged', probe: 'fridge' } as unknown as SimFault;
    expect(() => board.inject(bad)).toThrow(expect.objectContaining({ code: 'COBREW_ERR_INVALID' }));
    expect(board.activeFaults()).toEqual([]);
  });
});
