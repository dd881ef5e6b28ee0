// The fault matrix's cells: for each fault and driver, whether it ran, which protection it measured (the
// board's own, or cobrew's guard on the host when the board has none), the limit, what was measured, and
// how many outputs were energised beyond the limit.

export const FAULTS = [
  'host silent',
  'host stalled but alive',
  'reset with HELLO',
  'reset without HELLO',
  'brown-out right after a relay switches on',
  'early compressor restart asked by a buggy host',
  'over-temperature',
  'stuck (welded) relay',
] as const;
export type Fault = (typeof FAULTS)[number];

export const DRIVERS = ['cobrew firmware (simavr)', 'Firmata (mock)', 'BrewPi (mock)'] as const;
export type Driver = (typeof DRIVERS)[number];

export type Cell =
  /** Run: `beyond` outputs were energised beyond `limit`. */
  | {
      fault: Fault;
      driver: Driver;
      kind: 'board' | 'host-side';
      limit: string;
      measured: string;
      beyond: number;
    }
  /** Run, but the board has no protection against this fault: what happens, measured; never counted as passed. */
  | { fault: Fault; driver: Driver; kind: 'unprotected'; measured: string }
  /** Not run, and why. */
  | { fault: Fault; driver: Driver; kind: 'not run'; why: string }
  /** The same run as another driver's cell (one guard serves every driver). */
  | { fault: Fault; driver: Driver; kind: 'shared'; with: Driver };

export const ms = (x: number) => `${Math.round(x)} ms`;
export const s1 = (x: number) => `${(x / 1000).toFixed(1)} s`;

/** Cells counted in "outputs energised beyond a limit: B of N": those run against a limit. */
export function figure(cells: readonly Cell[]): { beyond: number; of: number } {
  let beyond = 0;
  let of = 0;
  for (const c of cells) {
    if (c.kind !== 'board' && c.kind !== 'host-side') continue;
    of++;
    beyond += c.beyond > 0 ? 1 : 0;
  }
  return { beyond, of };
}

export function figureLine(cells: readonly Cell[]): string {
  const f = figure(cells);
  return `outputs energised beyond a limit: ${f.beyond} of ${f.of}`;
}

/** The Markdown table docs/boards.md carries: one row per fault, one column per driver. */
export function table(cells: readonly Cell[]): string {
  const text = (c: Cell | undefined): string => {
    if (c === undefined) return 'missing';
    switch (c.kind) {
      case 'board':
      case 'host-side':
        return `${c.beyond === 0 ? 'ok' : `**${c.beyond} beyond**`} (${c.kind === 'board' ? 'board' : 'host guard'}): ${c.measured}; limit ${c.limit}`;
      case 'unprotected':
        return `**no board failsafe**: ${c.measured}`;
      case 'not run':
        return `not run: ${c.why}`;
      case 'shared':
        return `as ${c.with}`;
    }
  };
  const head = `| fault | ${DRIVERS.join(' | ')} |\n| --- |${DRIVERS.map(() => ' --- |').join('')}`;
  const rows = FAULTS.map(
    (f) =>
      `| ${f} | ${DRIVERS.map((d) => text(cells.find((c) => c.fault === f && c.driver === d))).join(' | ')} |`,
  );
  return [head, ...rows].join('\n');
}
