// The two brokers under test, each a child process of the bench so that it has a core of its own: cobrew's
// (bench/broker/cobrew-server.ts) and Mosquitto. Both listen on 127.0.0.1 only, with auth and ACL on.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ProcessUsage {
  cpuSeconds: number;
  /** Read and write system calls (/proc/<pid>/io syscr, syscw): how well the broker batches its I/O. */
  readCalls: number;
  writeCalls: number;
}

export interface BrokerProcess {
  readonly name: 'cobrew' | 'mosquitto';
  readonly pid: number;
  readonly url: string;
  /** What the broker process has used so far, or null where /proc cannot tell (not Linux). */
  usage(): Promise<ProcessUsage | null>;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

const STARTUP_MS = 15_000;
const HOST = '127.0.0.1';

export async function startCobrew(usersFile: string, cpuProfDir?: string): Promise<BrokerProcess> {
  const entry = fileURLToPath(new URL('./cobrew-server.ts', import.meta.url));
  const prof = cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', entry, '--users', usersFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stopper = stopperOf(child);
  try {
    const line = await withTimeout(firstLine(child), STARTUP_MS, 'cobrew broker did not start');
    const { port } = JSON.parse(line) as { port: number };
    return broker('cobrew', child, port, () => {
      // Closing stdin asks for a clean exit, which writes the CPU profile.
      child.stdin?.end();
      return stopper();
    });
  } catch (err) {
    await stopper();
    throw err;
  }
}

export async function startMosquitto(
  dir: string,
  files: { passwordFile: string; aclFile: string },
): Promise<BrokerProcess> {
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    [
      `listener ${port} ${HOST}`,
      'allow_anonymous false',
      `password_file ${files.passwordFile}`,
      `acl_file ${files.aclFile}`,
      // Unlimited queues, so that QoS 1 is never dropped under a burst (the default is 1000 per client).
      'max_queued_messages 0',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      // As root, Mosquitto would switch to the user `mosquitto`, which cannot read the bench's private files.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      '',
    ].join('\n'),
  );
  const bin = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
  const child = spawn(bin, ['-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stopper = stopperOf(child);
  try {
    await withTimeout(
      Promise.race([waitForPort(port), exited(child, 'mosquitto')]),
      STARTUP_MS,
      'mosquitto did not start',
    );
    return broker('mosquitto', child, port, stopper);
  } catch (err) {
    await stopper();
    throw err;
  }
}

function broker(
  name: BrokerProcess['name'],
  child: ChildProcess,
  port: number,
  stop: () => Promise<void>,
): BrokerProcess {
  const pid = child.pid as number;
  return { name, pid, url: `mqtt://${HOST}:${port}`, usage: () => usage(pid), stop };
}

/** Stops this child only, by its pid: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
function stopperOf(child: ChildProcess): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exit = exited(child, 'cobrew broker');
  try {
    const line = await Promise.race([once(lines, 'line').then(([l]) => l as string), exit]);
    return line;
  } finally {
    lines.close();
  }
}

function exited(child: ChildProcess, what: string): Promise<never> {
  return once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${what} exited during startup (code ${code}, signal ${signal})`);
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** utime + stime from /proc/<pid>/stat (clock ticks of 1/100 s on Linux) and syscr, syscw from /proc/<pid>/io. */
async function usage(pid: number): Promise<ProcessUsage | null> {
  try {
    const [stat, io] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/io`, 'utf8'),
    ]);
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const count = (key: string) => Number(io.match(new RegExp(`^${key}: (\\d+)$`, 'm'))?.[1]);
    return {
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
      readCalls: count('syscr'),
      writeCalls: count('syscw'),
    };
  } catch {
    return null;
  }
}
