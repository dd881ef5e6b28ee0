import { describe, expect, it } from 'vitest';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { H, MIN, setup } from './helpers.js';

describe('scripted faults from the configuration', () => {
  it('begins each fault at its hour and ends it after forH', () => {
    const { board, clock } = setup({
      faults: [
        { afterH: 1, forH: 0.5, fault: { kind: 'sensor-unplugged', probe: 'chamber' } },
        { afterH: 2, fault: { kind: 'door-open' } },
      ],
    });
    clock.advance(H - MIN);
    expect(board.read().chamber?.value).not.toBe(-127);
    clock.advance(2 * MIN);
    expect(board.read().chamber?.value).toBe(-127);
    expect(board.activeFaults()).toEqual([{ kind: 'sensor-unplugged', probe: 'chamber' }]);
    clock.advance(30 * MIN);
    expect(board.read().chamber?.value).not.toBe(-127);
    clock.advance(H);
    expect(board.activeFaults()).toEqual([{ kind: 'door-open' }]);
  });

  it('acts out a fault at its exact time even when nobody reads for hours', () => {
    const script = { afterH: 1, fault: { kind: 'relay-welded' as const, output: 'heat' as const } };
    const late = setup({ faults: [script] });
    const steady = setup({ faults: [script] });
    late.clock.advance(5 * H);
    for (let i = 0; i < 5 * 60; i++) {
      steady.clock.advance(MIN);
      steady.board.read();
    }
    expect(late.board.truth().chamberC).toBeCloseTo(steady.board.truth().chamberC, 6);
    expect(late.board.truth().energyWh.heat).toBeCloseTo(400, 0);
  });

  it('refuses an unknown fault in cobrew.yaml with the key path and the allowed kinds', () => {
    expect(() =>
      checkFermenterConfig({
        id: 'a',
        name: 'A',
        board: { type: 'sim', faults: [{ afterH: 1, fault: { kind: 'lightning' } }] },
      }),
    ).toThrow(/board\.faults\[0\]\.fault/);
  });
});
