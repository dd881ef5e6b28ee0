// `cobrew start` with mqtt.mosquitto.managed: the real cobrew runs Debian's Mosquitto as its broker, with the
// files `cobrew mqtt-user` keeps, and an MQTT 5 client with a user added on the command line reads the
// fermenters' states from it. `cobrew mqtt-user mosquitto-config` writes the same files for a Mosquitto
// started by hand.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, type Finished, finished, runCobrew, spawnCobrew } from '../app/cli-helpers.js';
import { freePort } from '../helpers/mosquitto.js';
import { waitFor } from './helpers.js';

const READY = /MQTT (mqtt:\/\/\S+) \(Mosquitto, MQTT 5\)/;

describe('cobrew start with mqtt.mosquitto.managed', () => {
  let dir: string;
  let child: ReturnType<typeof spawnCobrew>;
  let exit: Promise<Finished> & { stdout(): string; stderr(): string };
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cobrew-mosquitto-start-'));
    const [port, wsPort] = [await freePort(), await freePort()];
    await writeFile(
      join(dir, 'cobrew.yaml'),
      [
        'http: { port: 0 }',
        `mqtt: { port: ${port}, wsPort: ${wsPort}, statePeriodMs: 200, mosquitto: { managed: true } }`,
        'sim: { speed: 60 }',
      ].join('\n'),
    );
    const added = await runCobrew(
      ['mqtt-user', 'add', 'watcher', '--role', 'viewer', '--password', 'just looking', '--data-dir', dir],
      cleanEnv(),
    );
    expect(added.code, added.stderr).toBe(0);
    child = spawnCobrew(['start', '--data-dir', dir], cleanEnv());
    exit = finished(child);
    const line = await waitFor(
      () => exit.stdout().match(READY) ?? undefined,
      `the ready line (stdout: ${exit.stdout()} stderr: ${exit.stderr()})`,
      20_000,
    );
    url = line[1] as string;
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exit;
    await rm(dir, { recursive: true, force: true });
  });

  it('serves MQTT 5 clients with the users of `cobrew mqtt-user`, and cobrew publishes through it', async () => {
    const c = await mqtt.connectAsync(url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      username: 'watcher',
      password: 'just looking',
    });
    try {
      const states: string[] = [];
      c.on('message', (topic) => states.push(topic));
      await c.subscribeAsync('cobrew/fermenter/+/state', { qos: 1 });
      await waitFor(() => (states.length > 0 ? true : undefined), 'a fermenter state', 10_000);
      // A viewer publishes nothing: MQTT 5 says why.
      await expect(c.publishAsync('cobrew/fermenter/ale/set', '{}', { qos: 1 })).rejects.toMatchObject({
        code: 135,
      });
    } finally {
      await c.endAsync();
    }
    // Mosquitto 2.0 answers a wrong password with 135 (not authorised) rather than 134.
    await expect(
      mqtt.connectAsync(url, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        username: 'watcher',
        password: 'nope',
      }),
    ).rejects.toMatchObject({ code: 135 });
  });

  it('stops Mosquitto with cobrew', async () => {
    child.kill('SIGTERM');
    const done = await exit;
    expect(done.code, done.stderr).toBe(0);
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 })).rejects.toThrow();
  });

  it('`cobrew mqtt-user mosquitto-config --out` writes the files for a Mosquitto started by hand', async () => {
    const out = join(dir, 'by-hand');
    const r = await runCobrew(['mqtt-user', 'mosquitto-config', '--out', out, '--data-dir', dir], cleanEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`mosquitto -c ${out}/mosquitto.conf`);
    expect(await readFile(join(out, 'acl'), 'utf8')).toContain('user watcher\ntopic read cobrew/#\n');
    expect(await readFile(join(out, 'passwd'), 'utf8')).toMatch(/^watcher:\$7\$101\$/m);
  });
});
