// Kill -9 during heavy writes, then reopen: the database is intact, every acknowledged reading is there,
// and the rollups agree with the raw rows.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rollupMismatches, T0, tempDir } from './helpers.js';

const WRITER = fileURLToPath(new URL('./heavy-writer.ts', import.meta.url));

describe('history store killed during heavy writes', () => {
  it('opens clean with every acknowledged reading and rollups equal to the raw aggregates', async () => {
    const path = join(tempDir(), 'history.db');
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = 0;
    let buffered = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the writer exited by itself (${code})`)));
      child.stdout.on('data', (data: Buffer) => {
        buffered += data.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const n = Number(line.slice(4));
          if (child.exitCode === null && child.signalCode === null) acknowledged = Math.max(acknowledged, n);
        }
        // Well into the run, in the middle of a stream of commits.
        if (acknowledged >= 60_000 && child.signalCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await killed;
    await once(child, 'exit');
    expect(child.signalCode).toBe('SIGKILL');

    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Items 0 … acknowledged-1 alternate between f0 and f1, one second apart per fermenter.
    const perFermenter = (f: string) =>
      db
        .prepare('SELECT count(*) FROM raw JOIN fermenters ON fermenters.id = raw.f WHERE name = ? AND t < ?')
        .pluck()
        .get(f, T0 + Math.floor(acknowledged / 2) * 1000) as number;
    expect(perFermenter('f0')).toBe(Math.floor(acknowledged / 2));
    expect(perFermenter('f1')).toBe(Math.floor(acknowledged / 2));
    expect(db.prepare('SELECT count(*) FROM raw').pluck().get()).toBeGreaterThanOrEqual(acknowledged);
    expect(rollupMismatches(db)).toEqual([]);
    db.close();
  });
});
