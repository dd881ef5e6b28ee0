// The embedded broker with the clients people actually type: Debian's mosquitto_pub and mosquitto_sub
// (package mosquitto-clients, which .ci/run installs).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig, USERS, type UserKey } from './auth-rig.js';
import { sampleState, waitFor } from './helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : (err as { code?: unknown }).code;
      if (typeof code !== 'number') {
        reject(new Error(`${command} could not run (${err?.message}); install mosquitto-clients`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

describe('interop with mosquitto_pub and mosquitto_sub', () => {
  let rig: Rig;
  const as = (user: UserKey) => ['-u', USERS[user].name, '-P', USERS[user].password];
  const at = () => ['-h', '127.0.0.1', '-p', String(rig.broker.port), '-V', 'mqttv311'];

  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('delivers a fermenter state to a viewer running mosquitto_sub', async () => {
    const bridge = await rig.client('bridgeA');
    const state = sampleState('ale');
    await bridge.publishAsync('cobrew/fermenter/ale/state', JSON.stringify(state), { qos: 0, retain: true });
    const sub = await run('mosquitto_sub', [
      ...at(),
      ...as('viewer'),
      '-t',
      'cobrew/fermenter/+/state',
      '-v',
      '-C',
      '1',
      '-W',
      '10',
    ]);
    expect(sub.code).toBe(0);
    const [topic, ...json] = sub.stdout.trim().split(' ');
    expect(topic).toBe('cobrew/fermenter/ale/state');
    expect(JSON.parse(json.join(' '))).toEqual(state);
  });

  it("refuses a viewer's set from mosquitto_pub: nobody receives it", async () => {
    const bridge = await rig.listen(await rig.client('bridgeA'), 'cobrew/fermenter/ale/set');
    const service = await rig.listen(await rig.client('service'), 'cobrew/fermenter/+/set');
    const pub = await run('mosquitto_pub', [
      ...at(),
      ...as('viewer'),
      '-t',
      'cobrew/fermenter/ale/set',
      '-m',
      '{"mode":"off"}',
      '-q',
      '1',
    ]);
    expect(pub.code).not.toBe(0);
    expect(pub.stderr).toContain('connection was lost');
    await rig.stillServing();
    expect(bridge.messages).toEqual([]);
    expect(service.messages).toEqual([]);
  });

  it("delivers a service's set from mosquitto_pub to the fermenter's bridge", async () => {
    const bridge = await rig.listen(await rig.client('bridgeA'), 'cobrew/fermenter/ale/set');
    const command = '{"beerSetpointC":19.5,"transaction":"t-1"}';
    const pub = await run('mosquitto_pub', [
      ...at(),
      ...as('service'),
      '-t',
      'cobrew/fermenter/ale/set',
      '-m',
      command,
      '-q',
      '1',
    ]);
    expect(pub.code).toBe(0);
    const got = await waitFor(() => bridge.messages[0], 'the command at the bridge');
    expect(got).toEqual({ topic: 'cobrew/fermenter/ale/set', text: command, retain: false });
  });

  it('refuses mosquitto_sub without credentials, with a wrong password, and on $SYS/#', async () => {
    const anonymous = await run('mosquitto_sub', [...at(), '-t', 'cobrew/#', '-C', '1', '-W', '5']);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain('not authorised');

    const wrong = await run('mosquitto_sub', [
      ...at(),
      '-u',
      USERS.viewer.name,
      '-P',
      'wrong',
      '-t',
      'cobrew/#',
      '-C',
      '1',
      '-W',
      '5',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('bad user name or password');

    const sys = await run('mosquitto_sub', [...at(), ...as('viewer'), '-t', '$SYS/#', '-C', '1', '-W', '5']);
    expect(sys.stderr).toContain('All subscription requests were denied');
    await rig.stillServing();
  });
});
