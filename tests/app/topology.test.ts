// The multi-Pi set-up of docs/topology.md on one machine: a real Mosquitto with the documented ACL, two
// `cobrew start --role bridge` processes (cellar: ale, attic: lager) and one `cobrew start --role hub`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResponse } from '../../broker/command-schema.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { listen, waitFor } from '../broker/helpers.js';
import { ApiClient, addDashboardUser } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { documentedAcl, MOSQUITTO_USERS, type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { lager } from '../recipes/commons/helpers.js';
import { cleanEnv, type Finished, finished, spawnCobrew } from './cli-helpers.js';

const ACCOUNTS = {
  cellar: { name: 'cellar', password: 'cellar secret' },
  attic: { name: 'attic', password: 'attic secret' },
  hub: { name: 'hub', password: 'hub secret' },
};

type Running = Promise<Finished> & { stdout(): string; stderr(): string };

describe('two bridges and a hub over Mosquitto', () => {
  let mosquitto: Mosquitto;
  const dirs: string[] = [];
  type Part = { child: ReturnType<typeof spawnCobrew>; exit: Running };
  /** By name: cellar, attic, hub. */
  const children = new Map<string, Part>();
  const part = (name: string) => children.get(name) as Part;
  let api: ApiClient;

  /** Starts `cobrew start` with this cobrew.yaml and waits for its ready line. */
  async function start(name: string, role: string, yaml: string[], ready: RegExp): Promise<RegExpMatchArray> {
    const dir = await mkdtemp(join(tmpdir(), `cobrew-${role}-`));
    dirs.push(dir);
    await writeFile(join(dir, 'cobrew.yaml'), yaml.join('\n'));
    if (role === 'hub') await addDashboardUser(dir, 'bea', 'brewer', 'bea secret 12');
    const child = spawnCobrew(['start', '--data-dir', dir, '--role', role], cleanEnv());
    const exit = finished(child);
    children.set(name, { child, exit });
    return waitFor(
      () => exit.stdout().match(ready) ?? undefined,
      `${role} ready (stdout: ${exit.stdout()} stderr: ${exit.stderr()})`,
      30_000,
    );
  }

  const mqtt = (account: { name: string; password: string }, extra = '') =>
    `mqtt: { url: "${mosquitto.url}", username: ${account.name}, password: "${account.password}", ` +
    `statePeriodMs: 200${extra} }`;

  beforeAll(async () => {
    mosquitto = await startMosquitto({
      users: [...Object.values(ACCOUNTS), MOSQUITTO_USERS.homeassistant],
      acl: await documentedAcl('topology.md', 'topology-acl'),
    });
    const bridge = (name: 'cellar' | 'attic', id: string) =>
      start(
        name,
        'bridge',
        [
          mqtt(ACCOUNTS[name], `, bridgeId: ${name}`),
          // Real time: the hub refuses states stamped more than 5 min ahead of its own clock.
          'sim: { speed: 1 }',
          `fermenters: [{ id: ${id}, name: ${id}, board: { type: sim }, control: { mode: beer, beerSetpointC: 18 } }]`,
        ],
        new RegExp(`cobrew bridge ${name} is running`),
      );
    await Promise.all([bridge('cellar', 'ale'), bridge('attic', 'lager')]);
    const hub = await start(
      'hub',
      'hub',
      // The lager named, so that a batch can start on it from the hub.
      [
        'http: { port: 0 }',
        mqtt(ACCOUNTS.hub),
        'fermenters: [{ id: lager, name: lager, board: { type: sim } }]',
      ],
      /cobrew hub is running: dashboard (http:\/\/\S+)/,
    );
    api = new ApiClient(hub[1] as string);
    expect((await api.login('bea', 'bea secret 12')).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const { child } of children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
    await Promise.all([...children.values()].map((c) => c.exit));
    await mosquitto?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs each part only: bridges serve no page and start no broker, the hub runs no fermenter', () => {
    const [cellar, hub] = ['cellar', 'hub'].map((name) => part(name).exit.stderr());
    expect(cellar).not.toContain('embedded MQTT broker listening');
    expect(cellar).not.toContain('dashboard listening');
    expect(hub).not.toContain('Home Assistant discovery published');
    expect(cellar).toContain('Home Assistant discovery published');
    expect(mosquitto.log()).not.toMatch(/denied/i);
  });

  it("shows the fermenters of both bridges on the hub's dashboard", async () => {
    const listed = await eventually(
      async () => {
        const res = await api.get<{ fermenters: Array<{ id: string; state: FermenterState | null }> }>(
          'api/fermenters',
        );
        const ids = res.body.fermenters.filter((f) => f.state !== null).map((f) => f.id);
        return ids.length === 2 ? ids.sort() : undefined;
      },
      'both fermenters with a state at the hub',
      20_000,
    );
    expect(listed).toEqual(['ale', 'lager']);
  });

  it('sends a command from the hub to the bridge that runs the fermenter', async () => {
    const set = await api.post<{ status: string }>('api/fermenters/lager/set', { beerSetpointC: 11.5 });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('ok');
    const changed = await eventually(
      async () => {
        const res = await api.get<{ state: FermenterState | null }>('api/fermenters/lager');
        return res.body.state?.beerSetpointC === 11.5 ? res.body.state : undefined;
      },
      'the lager state with the new setpoint',
      10_000,
    );
    expect(changed.id).toBe('lager');
    const ale = await api.get<{ state: FermenterState | null }>('api/fermenters/ale');
    expect(ale.body.state?.beerSetpointC).toBe(18);
  });

  it("has the bridge refuse a command through Mosquitto from someone the lager's batch does not list", async () => {
    const recipe = await api.post<{ latestVersionId: string }>('api/recipes', { document: lager('Pils') });
    const batch = await api.post('api/batches', {
      versionId: recipe.body.latestVersionId,
      fermenterId: 'lager',
      name: 'Pils #1',
    });
    expect(batch.status).toBe(201);
    const ha = await connectAsync(mosquitto.urlFor(MOSQUITTO_USERS.homeassistant), { reconnectPeriod: 0 });
    try {
      const answers = new Map<string, CommandResponse>();
      ha.on('message', (_t, payload) => {
        const a = JSON.parse(payload.toString()) as CommandResponse;
        if (a.transaction !== undefined) answers.set(a.transaction, a);
      });
      await ha.subscribeAsync('cobrew/fermenter/lager/set/response', { qos: 1 });
      let n = 0;
      const send = async (command: object) => {
        const transaction = `ha${++n}`;
        await ha.publishAsync('cobrew/fermenter/lager/set', JSON.stringify({ ...command, transaction }), {
          qos: 1,
        });
        return waitFor(() => answers.get(transaction), 'the bridge answer', 5000);
      };
      // The hub publishes the batch within a second; from then on the attic bridge checks who asks.
      const refused = await eventually(async () => {
        const a = await send({ beerSetpointC: 9, by: 'mallory' });
        return a.error?.code === 'COBREW_ERR_NOT_YOUR_BATCH' ? a : undefined;
      }, 'the command refused by the bridge');
      expect(refused.error?.message).toMatch(
        /Fermenter lager holds batch "Pils #1" of bea; .*mallory is none/,
      );
      expect((await send({ beerSetpointC: 9 })).error?.code).toBe('COBREW_ERR_NOT_YOUR_BATCH');
      expect(await send({ beerSetpointC: 9.5, by: 'bea' })).toMatchObject({ status: 'ok' });
    } finally {
      await ha.endAsync();
    }
    // The dashboard names the person: bea's own command goes through the bridge's check.
    const set = await api.post<{ status: string }>('api/fermenters/lager/set', { beerSetpointC: 10 });
    expect(set.status).toBe(200);
    expect(mosquitto.log()).not.toMatch(/denied/i);
  });

  it('shows a killed bridge offline at the hub, and its fermenter only', async () => {
    part('attic').child.kill('SIGKILL');
    const online = await eventually(
      async () => {
        const res = await api.get<{ fermenters: Array<{ id: string; online: boolean | null }> }>(
          'api/fermenters',
        );
        const byId = Object.fromEntries(res.body.fermenters.map((f) => [f.id, f.online]));
        return byId.lager === false ? byId : undefined;
      },
      'lager offline at the hub',
      10_000,
    );
    expect(online).toEqual({ ale: true, lager: false });
    const hubLog = part('hub').exit.stderr();
    expect(hubLog).toContain('bridge offline: its fermenters are shown offline');
    expect(hubLog).toContain('"bridge":"attic"');
  });

  it('keeps the cellar controlling while the hub and then the broker are gone', async () => {
    const hub = part('hub');
    hub.child.kill('SIGKILL');
    await hub.exit;
    const ha = MOSQUITTO_USERS.homeassistant;
    const watch = await listen(mosquitto.urlFor(ha), 'cobrew/fermenter/ale/state');
    const states = () => watch.messages.map((m) => JSON.parse(m.text) as FermenterState);
    await waitFor(() => states().length >= 5, 'states of ale without the hub', 10_000);
    await watch.close();

    await mosquitto.kill();
    await new Promise((r) => setTimeout(r, 2000));
    await mosquitto.start();
    const again = await listen(mosquitto.urlFor(ha), 'cobrew/fermenter/ale/state');
    try {
      await waitFor(() => again.messages.length >= 5, 'states of ale after the broker returned', 20_000);
      const after = again.messages.map((m) => JSON.parse(m.text) as FermenterState);
      for (const s of [...states(), ...after]) {
        expect(s).toMatchObject({ mode: 'beer', beerSetpointC: 18 });
        expect(s.controllerState).not.toBe('stopped');
      }
      // The bridge's clock went on through the 2 s the broker was away: control never paused.
      const last = after.at(-1) as FermenterState;
      const first = states()[0] as FermenterState;
      expect(last.at - first.at).toBeGreaterThan(2000);
    } finally {
      await again.close();
    }
    const cellar = part('cellar');
    expect(cellar.child.exitCode).toBeNull();
    expect(cellar.exit.stderr()).not.toContain('outputs safe');
  }, 60_000);
});
