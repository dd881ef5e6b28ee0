// The hardware-in-the-loop fault matrix: every fault × every driver (reference firmware in simavr, Firmata
// and BrewPi on their mocks), counting outputs energised beyond a limit. A cell the board cannot protect is
// shown as such, with what happens measured, and never counted as passed. docs/boards.md carries the table
// and the figure; this test prints both and fails when the figure differs from the document's.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { brewPiCells } from './fault-matrix/brewpi.js';
import { type Cell, DRIVERS, FAULTS, figure, figureLine, table } from './fault-matrix/cells.js';
import { firmataCells } from './fault-matrix/firmata.js';
import { stuckRelayCells } from './fault-matrix/guard.js';
import { referenceCells } from './fault-matrix/reference.js';
import { buildFirmware } from './firmware/emulated-board.js';

const cells: Cell[] = [];
const stops: Array<() => Promise<unknown>> = [];

describe('fault matrix', () => {
  beforeAll(() => {
    buildFirmware('test', 'sim');
  });
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('reference firmware in simavr', async () => {
    const started = Date.now();
    cells.push(...(await referenceCells(stops)));
    console.log(`simavr cells: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it('Firmata on its mock', async () => {
    cells.push(...(await firmataCells()));
  }, 60_000);

  it('BrewPi on its mock', async () => {
    cells.push(...(await brewPiCells()));
  }, 60_000);

  it('a welded relay, on the guard every driver shares', () => {
    cells.push(...stuckRelayCells(DRIVERS));
  });

  it('every cell is accounted for, none beyond its limit, and docs/boards.md says so', () => {
    console.log(`${table(cells)}\n\n${figureLine(cells)}`);
    for (const f of FAULTS)
      for (const d of DRIVERS) expect(cells.filter((c) => c.fault === f && c.driver === d)).toHaveLength(1);
    const { beyond, of } = figure(cells);
    expect(beyond).toBe(0);
    expect(of).toBe(14);
    const docs = readFileSync(new URL('../../docs/boards.md', import.meta.url), 'utf8');
    expect(docs).toContain(figureLine(cells));
  });
});
