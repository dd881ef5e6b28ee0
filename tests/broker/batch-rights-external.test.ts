// Batch rights on an external broker, against a real Mosquitto with the ACL of docs/topology.md: the hub's
// publisher says which batch holds each fermenter, retained; the bridge's set handler refuses a command
// whose sender (`by`) the batch does not list, unless an admin's, and answers why on set/response.
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchHolderPublisher,
  type HeldFermenter,
  startBatchHolderPublisher,
} from '../../broker/batch-holders.js';
import type { CommandResponse } from '../../broker/command-schema.js';
import { type CommandHandler, startCommandHandler } from '../../broker/commands.js';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import { documentedAcl, MOSQUITTO_USERS, type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { listen, waitFor } from './helpers.js';

const CELLAR = { name: 'cellar', password: 'cellar secret' };
const HUB = { name: 'hub', password: 'hub secret' };
const HA = MOSQUITTO_USERS.homeassistant;
const login = (u: { name: string; password: string }) => ({ username: u.name, password: u.password });

describe('batch rights checked by the bridge on Mosquitto', () => {
  let mosquitto: Mosquitto;
  let handler: CommandHandler;
  let publisher: BatchHolderPublisher;
  let held: HeldFermenter[] = [];
  let fermenter: Fermenter;
  let send: (command: object) => Promise<CommandResponse>;
  const cleanup: Array<() => Promise<unknown>> = [];

  const startHandler = () =>
    startCommandHandler({
      url: mosquitto.url,
      baseTopic: 'cobrew',
      fermenters: [fermenter],
      batchRights: true,
      clientOptions: login(CELLAR),
    });

  beforeAll(async () => {
    mosquitto = await startMosquitto({
      users: [CELLAR, HUB, HA],
      acl: await documentedAcl('topology.md', 'topology-acl'),
    });
    cleanup.push(() => mosquitto.close());
    const clock = new ManualClock();
    const config = checkFermenterConfig({ id: 'ale', name: 'Ale', board: { type: 'sim' } });
    fermenter = new Fermenter(config, new SimBoard(config.board, clock), clock);
    fermenter.tick();
    handler = await startHandler();
    cleanup.push(() => handler.stop());
    publisher = await startBatchHolderPublisher({
      url: mosquitto.url,
      baseTopic: 'cobrew',
      holders: () => held,
      everyMs: 50,
      clientOptions: login(HUB),
    });
    cleanup.push(() => publisher.stop());

    const ha = await connectAsync(mosquitto.urlFor(HA), { reconnectPeriod: 0 });
    cleanup.push(() => ha.endAsync());
    const answers = new Map<string, CommandResponse>();
    ha.on('message', (_topic, payload) => {
      const a = JSON.parse(payload.toString()) as CommandResponse;
      if (a.transaction !== undefined) answers.set(a.transaction, a);
    });
    await ha.subscribeAsync('cobrew/fermenter/ale/set/response', { qos: 1 });
    let n = 0;
    send = async (command) => {
      const transaction = `t${++n}`;
      await ha.publishAsync('cobrew/fermenter/ale/set', JSON.stringify({ ...command, transaction }), {
        qos: 1,
      });
      return waitFor(() => answers.get(transaction), `the answer to ${JSON.stringify(command)}`);
    };
  }, 30_000);

  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  const refused = (a: CommandResponse) => a.error?.code === 'COBREW_ERR_NOT_YOUR_BATCH';

  it('takes any command for a free fermenter', async () => {
    expect(await send({ beerSetpointC: 17 })).toMatchObject({ status: 'ok' });
  });

  it('refuses a sender the batch does not list, or none, and lets its owner, co-brewers and admins act', async () => {
    held = [{ fermenterId: 'ale', batchId: 'b1', name: 'Helles #1', owner: 'brice', coBrewers: ['cleo'] }];
    await publisher.sync();
    const first = await send({ beerSetpointC: 16 });
    expect(first.error?.message).toBe(
      'Fermenter ale holds batch "Helles #1" of brice; only its owner, its co-brewers (cleo) and admins may ' +
        'control it, and the command names nobody ("by"). Send the command from the dashboard, or name in "by" ' +
        'a person the batch lists.',
    );
    const other = await send({ beerSetpointC: 16, by: 'mallory' });
    expect(refused(other)).toBe(true);
    expect(other.error?.message).toContain('mallory is none of them');
    expect(fermenter.intent().beerSetpointC).toBe(17);

    expect(await send({ beerSetpointC: 15, by: 'cleo' })).toMatchObject({ status: 'ok' });
    expect(
      await send({ profile: 'start', steps: [{ type: 'hold', targetC: 12, durationH: 24 }], by: 'brice' }),
    ).toMatchObject({ status: 'ok' });
    expect(await send({ mode: 'beer', by: 'ada', byAdmin: true })).toMatchObject({ status: 'ok' });
    expect(fermenter.intent()).toMatchObject({ mode: 'beer', changedBy: 'ada via MQTT' });
  });

  it('cannot be freed by an account that may only send commands', async () => {
    const ha = await connectAsync(mosquitto.urlFor(HA), { reconnectPeriod: 0 });
    // Mosquitto drops a publish the ACL does not allow; the batch stays.
    await ha.publishAsync('cobrew/fermenter/ale/batch', '{"batch":null}', { qos: 1, retain: true });
    await ha.endAsync();
    await new Promise((r) => setTimeout(r, 300));
    expect(refused(await send({ beerSetpointC: 14 }))).toBe(true);
  });

  it('knows the batch again at once after a restart of the bridge, from the retained message', async () => {
    await handler.stop();
    handler = await startHandler();
    expect(refused(await send({ beerSetpointC: 14, by: 'mallory' }))).toBe(true);
  });

  it('has a command sent after a sync meet the batch as it is now', async () => {
    held = [{ fermenterId: 'ale', batchId: 'b2', name: 'Bock', owner: 'dora', coBrewers: [] }];
    await publisher.sync();
    expect(await send({ beerSetpointC: 13, by: 'dora' })).toMatchObject({ status: 'ok' });
    expect(refused(await send({ beerSetpointC: 13, by: 'cleo' }))).toBe(true);
  });

  it('frees the fermenter when the batch ends, retained for bridges that start later', async () => {
    held = [];
    await publisher.sync();
    expect(await send({ beerSetpointC: 18 })).toMatchObject({ status: 'ok' });
    const watch = await listen(mosquitto.urlFor(HA), 'cobrew/fermenter/+/batch');
    try {
      const retained = await waitFor(() => watch.messages[0], 'the retained batch message');
      expect(retained).toMatchObject({
        topic: 'cobrew/fermenter/ale/batch',
        text: '{"batch":null}',
        retain: true,
      });
    } finally {
      await watch.close();
    }
  });
});
