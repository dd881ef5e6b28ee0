// A tiny run of the history benchmark: its --json output is exactly one object with the four figures.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { finished, ROOT } from '../app/cli-helpers.js';

describe('history benchmark', () => {
  it('prints exactly one JSON object with --json', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/history.ts',
        '--json',
        '--days',
        '0.05',
        '--fermenters',
        '1',
        '--queries',
        '3',
        '--peer-runs',
        '1',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const { code, stdout, stderr } = await finished(child);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0] as string);
    expect(Object.keys(figures).sort()).toEqual(['ingestPerSec', 'queryP50Ms', 'queryP99Ms', 'rawScanP99Ms']);
    for (const v of Object.values(figures)) expect(v).toBeGreaterThan(0);
  });
});
