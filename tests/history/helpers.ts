import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { BrokerLog } from '../../broker/log.js';

export { rollupMismatches, stateItem, T0 } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-history-'));
  dirs.push(dir);
  return dir;
}

/** A log that keeps its lines, to check what was said and at which level. */
export function recordingLog(): {
  lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }>;
  log: BrokerLog;
} {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: object, msg: string) =>
    lines.push({ level, msg, obj: obj as Record<string, unknown> });
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const LOCK_HOLDER = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));
const holders = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const child of holders) child.kill('SIGKILL');
  holders.clear();
});

/** Another process holds the database's write lock until release() (killed after the test at the latest). */
export async function lockInAnotherProcess(path: string): Promise<{ release(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOCK_HOLDER, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  holders.add(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
    child.stdout.on('data', (data: Buffer) => {
      if (data.toString('utf8').includes('locked')) resolve();
    });
  });
  return {
    release: async () => {
      const exited = once(child, 'exit');
      child.stdin.write('release\n');
      await exited;
      holders.delete(child);
    },
  };
}
