// One real `cobrew start` for the scale bench: its cobrew.yaml generated with N simulated fermenters at speed
// 1, started as `npm start` runs it (built code, the same V8 and malloc settings), and read from the outside:
// CPU and resident memory from /proc/<pid>/stat and /status.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export interface CobrewProcess {
  readonly dir: string;
  readonly pid: number;
  /** Wall time it was spawned at. */
  readonly spawnedAt: number;
  /** Milliseconds from spawn to its "is running" line. */
  readonly readyMs: number;
  /** Its start-up line. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  role: 'all' | 'bridge' | 'hub';
  /** The fermenter ids it runs (none for a hub). */
  fermenters: string[];
  /** The mqtt: section, as YAML flow or JSON. */
  mqtt: Record<string, unknown>;
  /** Run the TypeScript sources through tsx instead of dist/ (slower to start, more memory). */
  fromSource: boolean;
  /** Prepares the data directory before the start (accounts). */
  prepare?: (dir: string) => Promise<void>;
}

export async function startCobrew(opts: StartOptions): Promise<CobrewProcess> {
  const dir = await mkdtemp(join(tmpdir(), `cobrew-scale-${opts.role}-`));
  const config = {
    role: opts.role,
    http: { port: 0 },
    mqtt: opts.mqtt,
    fermenters: opts.fermenters.map((id) => ({ id, name: id, board: { type: 'sim' } })),
  };
  await writeFile(join(dir, 'cobrew.yaml'), JSON.stringify(config));
  await opts.prepare?.(dir);
  const entry = opts.fromSource ? ['--import', 'tsx', 'app/cli/main.ts'] : ['dist/app/cli/main.js'];
  const spawnedAt = Date.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=1', '--heap-growing-percent=10', ...entry, 'start', '--data-dir', dir],
    {
      cwd: ROOT,
      env: { ...cleanEnv(), MALLOC_ARENA_MAX: '2', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const deadline = Date.now() + 120_000;
  while (!/ is running/.test(stdout)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`cobrew start (${opts.role}) did not come up:\n${stderr.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = Date.now() - spawnedAt;
  return {
    dir,
    pid: child.pid as number,
    spawnedAt,
    readyMs,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(late);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COBREW_')));
}

/** CPU seconds (user + system, every thread) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** Resident memory in MB (VmRSS). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}
