// The accounts of cobrew's own clients are begun before the broker starts (each is a scrypt, on the way to
// the first state): a failure among them is thrown where the broker starts, never left unhandled meanwhile.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { createLogger } from '../../app/log.js';
import { openMqttLink, startComponentAccounts } from '../../app/mqtt-link.js';
import { addUser, usersFile } from '../../broker/credentials.js';
import { TEST_COST } from '../broker/auth-rig.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-mqtt-link-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function linkOptions(yaml: string) {
  await writeFile(join(dir, 'cobrew.yaml'), yaml);
  const { config } = await loadConfig({ flags: { dataDir: dir }, env: {} });
  const log = createLogger({ level: 'silent' });
  return { config: config.mqtt, dataDir: dir, bridgeId: 'cellar', fermenterIds: ['ale'], log };
}

describe("the components' accounts begun early", () => {
  it('are none for an external broker', async () => {
    expect(startComponentAccounts(await linkOptions('mqtt: { url: "mqtt://broker.lan" }'))).toBeUndefined();
  });

  it('fail where the broker starts', async () => {
    const opts = await linkOptions('mqtt: { port: 0, wsPort: 0 }');
    // A person's account already has the bridge's name.
    await addUser(usersFile(dir), { name: 'cellar', role: 'viewer', password: 'x secret 1' }, TEST_COST);
    const accounts = startComponentAccounts(opts);
    expect(accounts).toBeDefined();
    // Left alone a while, as the parts before the broker start.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(openMqttLink({ ...opts, ...(accounts ? { accounts } : {}) })).rejects.toMatchObject({
      code: 'COBREW_ERR_MQTT_USER_CONFLICT',
    });
  });

  it('are the ones the broker admits', async () => {
    const opts = await linkOptions('mqtt: { port: 0, wsPort: 0 }');
    const accounts = startComponentAccounts(opts);
    const link = await openMqttLink({ ...opts, ...(accounts ? { accounts } : {}) });
    try {
      const made = await accounts;
      expect(link.bridge).toEqual(made?.bridge);
      const { connectAsync } = await import('mqtt');
      const client = await connectAsync(link.url, { ...link.bridge, reconnectPeriod: 0 });
      await client.endAsync();
    } finally {
      await link.close();
    }
  });
});
