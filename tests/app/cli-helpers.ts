import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The environment of this test run without any COBREW_ setting that could leak into the command. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COBREW_')));
  return { ...env, NO_COLOR: '1', ...extra };
}

/** `cobrew start` on the simulator at 60× speed, every port chosen by the system: what a test starts. */
export function simulatorStartArgs(dataDir: string): string[] {
  return [
    'start',
    '--data-dir',
    dataDir,
    '--http-port',
    '0',
    '--mqtt-port',
    '0',
    '--ws-port',
    '0',
    '--speed',
    '60',
  ];
}

export function spawnCobrew(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output and resolves when it exits. */
export function finished(child: ChildProcess): Promise<Finished> & { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { stdout: () => stdout, stderr: () => stderr });
}

export function runCobrew(args: string[], env?: NodeJS.ProcessEnv): Promise<Finished> {
  return finished(spawnCobrew(args, env));
}
