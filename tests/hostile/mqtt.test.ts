// Findings 6, 10, 11, 12 and 13 against a secured embedded broker: guessing passwords, weak passwords,
// foreign WebSocket pages, one account taking every slot, retained commands, someone else's discovery, and a
// command answer from the wrong fermenter.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addUser, usersFile } from '../../broker/credentials.js';
import { silentLog } from '../../broker/log.js';
import { startCommandSender } from '../../dashboard/api/command-sender.js';
import { attempt, closedByBroker, type Rig, startRig, TEST_COST, USERS } from '../broker/auth-rig.js';
import { waitFor } from '../broker/helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('MQTT under attack', () => {
  it('refuses further guesses of a password from an address after a few failures (finding 6)', async () => {
    rig = await startRig();
    const r = rig;
    const outcomes = [];
    for (let i = 0; i < 12; i++) {
      outcomes.push(await attempt(r.broker.url, { username: USERS.viewer.name, password: `guess ${i}` }));
    }
    const checked = outcomes.filter((o) => !o.ok && o.code === 4).length;
    expect(checked).toBeLessThanOrEqual(5);
    // Even the right password waits out the window from that address…
    const right = await attempt(r.broker.url, {
      username: USERS.viewer.name,
      password: USERS.viewer.password,
    });
    expect(right.ok).toBe(false);
    // …while the others are not held up.
    await r.stillServing();
  });

  it('refuses a one-character password for a person (finding 6)', async () => {
    rig = await startRig();
    await expect(
      addUser(usersFile(rig.dir), { name: 'mallory', role: 'viewer', password: 'x' }, TEST_COST),
    ).rejects.toMatchObject({ code: 'COBREW_ERR_MQTT_PASSWORD_TOO_SHORT' });
  });

  it('refuses a WebSocket opened by a page of another site (finding 6)', async () => {
    rig = await startRig({ wsPort: 0 });
    const wsUrl = rig.broker.wsUrl as string;
    const opened = (origin: string | undefined) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(wsUrl, 'mqtt', origin === undefined ? {} : { origin });
        ws.once('open', () => {
          ws.close();
          resolve(true);
        });
        ws.once('error', () => resolve(false));
      });
    expect(await opened('http://evil.example')).toBe(false);
    expect(await opened(`http://127.0.0.1:8080`)).toBe(true);
    expect(await opened(undefined)).toBe(true);
  });

  it('keeps one account from taking every connection slot (finding 11)', async () => {
    rig = await startRig({ limits: { maxConnectionsPerUser: 3 } });
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await attempt(rig.url('viewer'), { clientId: `eve-${i}` }));
    // The rig keeps a viewer of its own connected: at most two more get in.
    expect(tries.filter((t) => t.ok).length).toBeLessThanOrEqual(2);
    for (const t of tries) if (t.ok) await t.client.endAsync();
    await rig.client('service');
    await rig.stillServing();
  });

  it('drops the retain flag of a command (finding 12)', async () => {
    rig = await startRig();
    const service = await rig.client('service');
    await service.publishAsync('cobrew/fermenter/ale/set', '{"mode":"off"}', { qos: 1, retain: true });
    const late = await rig.client('bridgeA');
    const heard = await rig.listen(late, 'cobrew/fermenter/ale/set');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.messages).toEqual([]);
  });

  it("lets no service rewrite a fermenter's Home Assistant discovery (finding 13)", async () => {
    rig = await startRig();
    const service = await rig.client('service');
    const gone = closedByBroker(service);
    service.publish('homeassistant/sensor/cobrew_ale/beer/config', '{}', { qos: 1 });
    await gone;
    // Its bridge still may.
    const bridge = await rig.client('bridgeA');
    await bridge.publishAsync('homeassistant/sensor/cobrew_ale/beer/config', '{}', { qos: 1 });
    expect(bridge.connected).toBe(true);
  });

  it('takes a command answer only from the fermenter asked (finding 10)', async () => {
    rig = await startRig();
    const r = rig;
    const sender = await startCommandSender({
      url: r.url('service'),
      baseTopic: 'cobrew',
      log: silentLog,
      timeoutMs: 1500,
    });
    try {
      // bridge-b runs lager only, but reads every set topic's transactions through the broker it shares.
      const spy = await r.client('viewer');
      const sets = await r.listen(spy, 'cobrew/fermenter/+/set');
      const liar = await r.client('bridgeB');
      const sent = sender.send('ale', { mode: 'off' });
      const set = await waitFor(() => sets.messages[0], 'the command');
      const { transaction } = JSON.parse(set.text) as { transaction: string };
      await liar.publishAsync(
        'cobrew/fermenter/lager/set/response',
        JSON.stringify({ status: 'ok', transaction }),
        {
          qos: 1,
        },
      );
      await expect(sent).rejects.toMatchObject({ code: 'COBREW_ERR_BRIDGE_TIMEOUT' });
    } finally {
      await sender.close();
    }
  });
});
