import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, removeUser, usersFile } from '../../broker/credentials.js';
import { attempt, closedByBroker, type Rig, startRig, TEST_COST, USERS } from './auth-rig.js';
import { waitFor } from './helpers.js';

describe('authentication on the embedded broker', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('refuses a client without credentials (CONNACK 5) and says why in the log', async () => {
    rig = await startRig();
    const result = await attempt(rig.broker.url);
    expect(result).toMatchObject({ ok: false, code: 5, answered: true });
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'MQTT connection refused',
        reason: 'no user name given and anonymous access is off',
      }),
    );
    await rig.stillServing();
  });

  it('refuses a wrong password and an unknown user alike (CONNACK 4), never logging a password', async () => {
    rig = await startRig();
    const wrong = await attempt(rig.broker.url, { username: USERS.viewer.name, password: 'guess-1' });
    const unknown = await attempt(rig.broker.url, { username: 'mallory', password: 'guess-2' });
    expect(wrong).toMatchObject({ ok: false, code: 4 });
    expect(unknown).toMatchObject({ ok: false, code: 4 });
    const refused = rig.lines.filter((l) => l.msg === 'MQTT connection refused');
    expect(refused.map((l) => [l.user, l.reason])).toEqual([
      ['eve', 'wrong password'],
      ['mallory', 'unknown user'],
    ]);
    await rig.stillServing();
    const everything = JSON.stringify(rig.lines);
    for (const secret of ['guess-1', 'guess-2', ...Object.values(USERS).map((u) => u.password)]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('accepts every role with its password, in a URL too', async () => {
    rig = await startRig();
    for (const user of ['bridgeA', 'service', 'viewer', 'ispindel'] as const) {
      const result = await attempt(rig.url(user));
      expect(result.ok, user).toBe(true);
      if (result.ok) await result.client.endAsync();
    }
  });

  it('lets anonymous clients read <base>/# as viewers only when configured', async () => {
    rig = await startRig({ anonymous: 'viewer' });
    const anonymous = await attempt(rig.broker.url);
    if (!anonymous.ok) throw new Error(`refused: ${anonymous.message}`);
    const heard = await rig.listen(anonymous.client, 'cobrew/#');
    expect(heard.granted).toEqual([1]);
    await rig.stillServing();
    await waitFor(() => heard.messages.length > 0, 'a probe heard anonymously');
    const gone = closedByBroker(anonymous.client);
    anonymous.client.publish('cobrew/fermenter/ale/set', '{}', { qos: 1 });
    await gone;
    await anonymous.client.endAsync(true);
  });

  it('checks the last will at connect: its own is published when it drops, another is refused', async () => {
    rig = await startRig();
    const refused = await attempt(rig.broker.url, {
      username: USERS.bridgeA.name,
      password: USERS.bridgeA.password,
      will: {
        topic: 'cobrew/bridge/bridge-b/availability',
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    expect(refused).toMatchObject({ ok: false, code: 5 });
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        reason: 'last will topic cobrew/bridge/bridge-b/availability is not allowed for the role bridge',
      }),
    );

    const viewer = await rig.listen(await rig.client('viewer'), 'cobrew/bridge/+/availability');
    const bridge = await rig.client('bridgeA', {
      will: {
        topic: 'cobrew/bridge/bridge-a/availability',
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    bridge.stream.destroy();
    await waitFor(
      () => viewer.messages.find((m) => m.topic === 'cobrew/bridge/bridge-a/availability'),
      'the last will',
    );
    await rig.stillServing();
  });

  it("does not let one user take over another user's connected client id", async () => {
    rig = await startRig();
    const bridge = await rig.client('bridgeA', { clientId: 'cobrew-bridge-1' });
    const intruder = await attempt(rig.broker.url, {
      clientId: 'cobrew-bridge-1',
      username: USERS.viewer.name,
      password: USERS.viewer.password,
    });
    expect(intruder).toMatchObject({ ok: false, code: 2 });
    expect(bridge.connected).toBe(true);
    // The same user may: that is how a client replaces its own stale session.
    const again = await rig.client('bridgeA', { clientId: 'cobrew-bridge-1' });
    await closedByBroker(bridge);
    expect(again.connected).toBe(true);
  });

  it('counts users added or removed while running from their next connection', async () => {
    rig = await startRig();
    const file = usersFile(rig.dir);
    const before = await attempt(rig.broker.url, { username: 'late', password: 'late secret' });
    expect(before).toMatchObject({ ok: false, code: 4 });
    await addUser(file, { name: 'late', role: 'viewer', password: 'late secret' }, TEST_COST);
    const after = await attempt(rig.broker.url, { username: 'late', password: 'late secret' });
    expect(after.ok).toBe(true);
    if (after.ok) await after.client.endAsync();
    await removeUser(file, 'late');
    expect(await attempt(rig.broker.url, { username: 'late', password: 'late secret' })).toMatchObject({
      ok: false,
      code: 4,
    });
  });

  it('answers "server unavailable" (CONNACK 3) while the users file is broken, and logs it', async () => {
    rig = await startRig();
    const file = usersFile(rig.dir);
    await writeFile(file, '{"version": 1, "users": ');
    const result = await attempt(rig.url('viewer'));
    expect(result).toMatchObject({ ok: false, code: 3 });
    expect(rig.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: expect.stringContaining('users file cannot be read') }),
    );
    await rig.stillServing();
  });
});
