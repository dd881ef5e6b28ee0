// A real Mosquitto (Debian package `mosquitto`, which .ci/run installs) for the tests of the external broker
// mode: on 127.0.0.1 and a free port, with a password file made by mosquitto_passwd and an ACL file, without
// persistence. Only the process started here is ever stopped, by its PID.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MosquittoUser {
  name: string;
  password: string;
}

export interface MosquittoOptions {
  users: readonly MosquittoUser[];
  /** The ACL file's text. */
  acl: string;
  /** PEM files of the broker's certificate and key: its listener then speaks TLS only (mqtts://). */
  tls?: { cert: string; key: string };
}

export interface Mosquitto {
  readonly port: number;
  /** mqtt://127.0.0.1:<port> (mqtts:// with TLS), without credentials. */
  readonly url: string;
  /** The URL with a user's credentials in it. */
  urlFor(user: MosquittoUser): string;
  /** Everything Mosquitto logged since it was first started. */
  log(): string;
  /** Kills the broker (SIGKILL, nothing saved) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the same files; retained messages are gone. */
  start(): Promise<void>;
  /** Stops it if it runs and removes its files. */
  close(): Promise<void>;
}

const BINARY = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

/**
 * The ACL documented for an external Mosquitto (docs/mqtt.md, or the `topology-acl` block of
 * docs/topology.md), so the tests use exactly what people copy.
 */
export async function documentedAcl(file = 'mqtt.md', block = 'acl'): Promise<string> {
  const doc = await readFile(fileURLToPath(new URL(`../../docs/${file}`, import.meta.url)), 'utf8');
  const m = new RegExp(`<!-- mosquitto: ${block} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (m?.[1] === undefined) throw new Error(`docs/${file} has no <!-- mosquitto: ${block} --> block`);
  return m[1];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args[0]} failed: ${err.message} ${stderr}`));
      else resolve();
    });
  });
}

export async function startMosquitto(opts: MosquittoOptions): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'cobrew-mosquitto-'));
  const passwd = join(dir, 'passwd');
  const acl = join(dir, 'acl');
  const conf = join(dir, 'mosquitto.conf');
  for (const [i, u] of opts.users.entries()) {
    await run('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwd, u.name, u.password]);
  }
  await writeFile(acl, opts.acl);
  const port = await freePort();
  await writeFile(
    conf,
    [
      // Run as whoever runs the tests: as root Mosquitto would otherwise switch to the `mosquitto` user,
      // which cannot read this private directory. For anyone else the line changes nothing.
      `user ${userInfo().username}`,
      'per_listener_settings false',
      // As cobrew's own Mosquitto configuration and its docs have it: states are not held by Nagle's algorithm.
      'set_tcp_nodelay true',
      `listener ${port} 127.0.0.1`,
      ...(opts.tls === undefined ? [] : [`certfile ${opts.tls.cert}`, `keyfile ${opts.tls.key}`]),
      'allow_anonymous false',
      `password_file ${passwd}`,
      `acl_file ${acl}`,
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      '',
    ].join('\n'),
  );

  let log = '';
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const start = async () => {
    const proc = spawn(BINARY, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    exited = once(proc, 'exit');
    const append = (d: Buffer) => {
      log += d.toString('utf8');
    };
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    const deadline = Date.now() + 10_000;
    const from = log.length;
    while (!log.slice(from).includes(' running')) {
      if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
        throw new Error(`Mosquitto did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const kill = async () => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    process.kill(proc.pid as number, 'SIGKILL');
    await exited;
  };

  try {
    await start();
  } catch (err) {
    await kill();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const scheme = opts.tls === undefined ? 'mqtt' : 'mqtts';
  const url = `${scheme}://127.0.0.1:${port}`;
  return {
    port,
    url,
    urlFor: (u) =>
      `${scheme}://${encodeURIComponent(u.name)}:${encodeURIComponent(u.password)}@127.0.0.1:${port}`,
    log: () => log,
    kill,
    start,
    close: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The accounts of docs/mqtt.md's Mosquitto example, with passwords for the tests. */
export const MOSQUITTO_USERS = {
  cobrew: { name: 'cobrew', password: 'wort & hops' },
  homeassistant: { name: 'homeassistant', password: 'assist me' },
  watcher: { name: 'watcher', password: 'just looking' },
  blue: { name: 'blue', password: 'floats in ale' },
};

/** cobrew.yaml for an external broker; the simulation runs fast so states change within the test. */
export function externalConfig(mosquitto: Mosquitto, extra = ''): string {
  const { cobrew } = MOSQUITTO_USERS;
  return [
    // The status page without logging in, as on a kiosk screen.
    'http: { port: 0, publicStatus: true }',
    `mqtt: { url: "${mosquitto.url}", username: ${cobrew.name}, password: "${cobrew.password}", statePeriodMs: 200 }`,
    'sim: { speed: 60 }',
    'ispindels: [{ name: blue, fermenter: ale, unit: sg }]',
    extra,
  ].join('\n');
}

/** mosquitto_pub (package mosquitto-clients) as `user`, QoS 1. */
export function mosquittoPub(
  port: number,
  user: { name: string; password: string },
  topic: string,
  message: string,
) {
  return new Promise<void>((resolve, reject) => {
    const args = ['-h', '127.0.0.1', '-p', String(port), '-u', user.name, '-P', user.password];
    execFile('mosquitto_pub', [...args, '-t', topic, '-m', message, '-q', '1'], { timeout: 10_000 }, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}
