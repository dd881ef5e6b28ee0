// A Mosquitto run by cobrew as its broker (`mqtt.mosquitto.managed`): its files written from cobrew's users
// and roles into <data dir>/mosquitto/, the process started as a child on mqtt.host, and told to reread
// its password file and ACL (SIGHUP) whenever `cobrew mqtt-user` changes the users. Only this child is
// ever signalled, by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { unwatchFile, watchFile } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { readUsers, usersFile } from './credentials.js';
import { MosquittoStartError } from './errors.js';
import { type BrokerLog, silentLog } from './log.js';
import {
  MOSQUITTO_FILE_NAMES,
  type MosquittoSetup,
  withoutHashAdvice,
  writeMosquittoFiles,
} from './mosquitto-config.js';
import { urlHost } from './url-host.js';

export interface ManagedMosquittoOptions extends Omit<MosquittoSetup, 'runAs'> {
  dataDir: string;
  /** The mosquitto program, /usr/sbin/mosquitto in Debian's package. */
  binary: string;
  log?: BrokerLog;
  /** How often the users file is checked for changes. */
  watchMs?: number;
}

export interface ManagedMosquitto {
  readonly url: string;
  readonly wsUrl: string | null;
  /** The running Mosquitto's process id, for logs and supervision; undefined while it is down. */
  readonly pid: number | undefined;
  /** Rewrites the files from the users file and has Mosquitto reread them. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
/** After an unexpected stop: 1 s, doubling up to a minute while it keeps failing. */
const RESTART_DELAY_MS = 1000;
const RESTART_DELAY_MAX_MS = 60_000;
/** Up this long, it counts as recovered: the next restart waits 1 s again. */
const STABLE_MS = 60_000;
const STOP_TIMEOUT_MS = 5000;
/** How much of Mosquitto's own output a start failure quotes. */
const LOG_TAIL = 2000;

export const mosquittoDir = (dataDir: string): string => join(dataDir, 'mosquitto');

function accepting(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startManagedMosquitto(opts: ManagedMosquittoOptions): Promise<ManagedMosquitto> {
  const log = opts.log ?? silentLog;
  const dir = mosquittoDir(opts.dataDir);
  const users = usersFile(opts.dataDir);
  const setup: MosquittoSetup = { ...opts, runAs: userInfo().username };
  const conf = join(dir, MOSQUITTO_FILE_NAMES.conf);

  const write = async () => {
    const files = await writeMosquittoFiles(await readUsers(users), setup, dir);
    const advice = withoutHashAdvice(files.withoutHash);
    if (advice !== null) log.warn({ users: files.withoutHash }, advice);
  };
  await write();

  let child: ChildProcess | undefined;
  let output = '';
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  let delay = RESTART_DELAY_MS;
  const scheduleRestart = () => {
    if (stopping) return;
    restartTimer = setTimeout(() => {
      launch().catch((err) => {
        log.error({ err, retryInMs: delay }, 'mosquitto could not be started again');
        scheduleRestart();
      });
    }, delay);
    delay = Math.min(delay * 2, RESTART_DELAY_MAX_MS);
  };

  const launch = async (): Promise<void> => {
    // Something else on the port would answer for Mosquitto and hide that it cannot listen.
    if (await accepting(opts.host, opts.port)) {
      throw new MosquittoStartError(opts.binary, opts.host, opts.port, 'something already listens there');
    }
    const proc = spawn(opts.binary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const startedAt = Date.now();
    child = proc;
    output = '';
    const failed = new Promise<Error>((resolve) => {
      proc.once('error', (err) => resolve(err));
      proc.once('exit', (code, signal) => resolve(new Error(`it exited (${signal ?? `code ${code}`})`)));
    });
    const keep = (d: Buffer) => {
      const text = d.toString('utf8');
      output = (output + text).slice(-LOG_TAIL);
      for (const line of text.split('\n'))
        if (line.trim() !== '') log.info({ mosquitto: line.trim() }, 'mosquitto');
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + START_TIMEOUT_MS;
    let gone: Error | undefined;
    void failed.then((err) => {
      gone = err;
    });
    while (!(await accepting(opts.host, opts.port))) {
      if (gone !== undefined || Date.now() > deadline) {
        if (gone === undefined) proc.kill('SIGKILL');
        throw new MosquittoStartError(
          opts.binary,
          opts.host,
          opts.port,
          `${gone?.message ?? 'it did not listen within 10 s'}; it said: ${output.trim() || '(nothing)'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.once('exit', (code, signal) => {
      if (stopping || child !== proc) return;
      if (Date.now() - startedAt > STABLE_MS) delay = RESTART_DELAY_MS;
      log.error(
        { code, signal, output: output.trim(), restartInMs: delay },
        'mosquitto stopped; starting it again',
      );
      scheduleRestart();
    });
  };
  await launch();

  let reloading: Promise<void> = Promise.resolve();
  const reload = () => {
    reloading = reloading.then(async () => {
      await write();
      if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGHUP');
    });
    return reloading;
  };
  const watchMs = opts.watchMs ?? 1000;
  const onChange = () => {
    reload().catch((err) => log.error({ err }, 'could not rewrite the Mosquitto files after a user change'));
  };
  watchFile(users, { interval: watchMs }, onChange);

  return {
    url: `mqtt://${urlHost(opts.host)}:${opts.port}`,
    wsUrl: opts.wsPort > 0 ? `ws://${urlHost(opts.host)}:${opts.wsPort}` : null,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    reload,
    close: async () => {
      stopping = true;
      unwatchFile(users, onChange);
      clearTimeout(restartTimer);
      await reloading.catch(() => {});
      const proc = child;
      if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      process.kill(proc.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined)
          process.kill(proc.pid, 'SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
