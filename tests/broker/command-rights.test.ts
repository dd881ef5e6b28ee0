// Rights follow the batch over MQTT too: a set command published through the embedded broker by an account
// that neither owns nor co-brews the fermenter's batch never reaches the bridge, and is answered on
// set/response with the reason and its transaction; the owner's account and free fermenters are served.
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, usersFile } from '../../broker/credentials.js';
import { type Rig, startRig } from '../dashboard/api/rig.js';
import { lager } from '../recipes/commons/helpers.js';
import { TEST_COST } from './auth-rig.js';

interface Answer {
  status: 'ok' | 'error';
  error?: { code: string; message: string };
  transaction?: string;
}

describe('fermenter commands through the broker follow the batch', () => {
  let rig: Rig;
  const clients: MqttClient[] = [];

  const mqttAs = async (name: string) => {
    const client = connect(rig.app.mqttUrl, {
      username: name,
      password: `${name} secret`,
      reconnectPeriod: 0,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync('cobrew/fermenter/+/set/response', { qos: 1 });
    return client;
  };

  const command = (client: MqttClient, fermenterId: string, body: object, transaction: string) =>
    new Promise<Answer>((resolve) => {
      const onMessage = (topic: string, payload: Buffer) => {
        const answer = JSON.parse(payload.toString()) as Answer;
        if (topic !== `cobrew/fermenter/${fermenterId}/set/response` || answer.transaction !== transaction)
          return;
        client.off('message', onMessage);
        resolve(answer);
      };
      client.on('message', onMessage);
      client.publish(`cobrew/fermenter/${fermenterId}/set`, JSON.stringify({ ...body, transaction }), {
        qos: 1,
      });
    });

  beforeAll(async () => {
    rig = await startRig();
    const file = usersFile(rig.dataDir);
    for (const name of ['homeassistant', 'brice']) {
      await addUser(file, { name, role: 'service', password: `${name} secret` }, TEST_COST);
    }
    const brice = await rig.as('brewer');
    const recipe = await brice.post<{ latestVersionId: string }>('api/recipes', {
      document: lager('Helles'),
    });
    const batch = await brice.post('api/batches', {
      versionId: recipe.body.latestVersionId,
      fermenterId: 'ale',
      name: 'Helles #1',
    });
    expect(batch.status).toBe(201);
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync();
    await rig.stop();
  });

  it("refuses Home Assistant's command to the batch's fermenter with the reason, and the bridge never sees it", async () => {
    const ha = await mqttAs('homeassistant');
    const answer = await command(ha, 'ale', { beerSetpointC: 12 }, 'ha-1');
    expect(answer).toMatchObject({
      status: 'error',
      transaction: 'ha-1',
      error: { code: 'COBREW_ERR_NOT_YOUR_BATCH' },
    });
    expect(answer.error?.message).toMatch(/Fermenter ale holds batch "Helles #1" of brice/);
    const viewer = await rig.as('viewer');
    const { body } = await viewer.get<{ state: { beerSetpointC: number | null } | null }>(
      'api/fermenters/ale',
    );
    expect(body.state?.beerSetpointC).not.toBe(12);
    expect(rig.logLines).toContainEqual(
      expect.objectContaining({ user: 'homeassistant', code: 'COBREW_ERR_NOT_YOUR_BATCH' }),
    );
  });

  it('serves the same account on a free fermenter, and the owner on the batch', async () => {
    const ha = await mqttAs('homeassistant');
    expect(await command(ha, 'lager', { beerSetpointC: 11 }, 'ha-2')).toEqual({
      status: 'ok',
      transaction: 'ha-2',
    });
    const owner = await mqttAs('brice');
    expect(await command(owner, 'ale', { beerSetpointC: 17 }, 'b-1')).toEqual({
      status: 'ok',
      transaction: 'b-1',
    });
  });
});
