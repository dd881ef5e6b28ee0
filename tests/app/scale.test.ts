// A space of 200 fermenters on one process: cobrew's own bridge publishes far above the embedded broker's
// limits for untrusted clients, and must never be throttled or disconnected by them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../app/app.js';
import { loadConfig } from '../../app/config/load.js';
import { createLogger } from '../../app/log.js';
import { addUser, usersFile } from '../../broker/credentials.js';
import { createFleet } from '../../firmware-bridge/fleet.js';
import { TEST_COST } from '../broker/auth-rig.js';
import { listen, waitFor } from '../broker/helpers.js';

const FERMENTERS = 200;

const logLines: Array<Record<string, unknown>> = [];
const log = createLogger({
  level: 'debug',
  destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
});

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cobrew-scale-'));
  logLines.length = 0;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('200 fermenters in one process', () => {
  it('keeps its own bridge connected and announces every fermenter to Home Assistant', async () => {
    const ids = Array.from({ length: FERMENTERS }, (_, i) => `f${String(i).padStart(3, '0')}`);
    const file = join(dataDir, 'cobrew.yaml');
    const fermenters = ids.map((id) => ({ id, name: `Cuve ${id}`, board: { type: 'sim' } }));
    await writeFile(file, JSON.stringify({ fermenters }));
    const { config } = await loadConfig({
      flags: { dataDir, config: file, httpPort: '0', mqttPort: '0', wsPort: '0', speed: '60' },
      env: {},
    });
    // The defaults for untrusted clients: 50 a second, 100 at once. The bridge sends 200 states a second.
    expect(config.mqtt.limits).toMatchObject({ publishesPerSecond: 50, publishBurst: 100 });
    const app = await startApp({
      config,
      log,
      dataDir,
      bridgeId: 'big-bridge',
      createFleet: (opts) => createFleet(opts),
    });
    try {
      await addUser(usersFile(dataDir), { name: 'ha', role: 'service', password: 'ha secret' }, TEST_COST);
      const url = new URL(app.mqttUrl);
      url.username = 'ha';
      url.password = 'ha%20secret';
      const ha = await listen(url.toString(), ['cobrew/fermenter/+/state', 'homeassistant/#']);
      const heard = (prefix: string) =>
        new Set(
          ha.messages
            .filter((m) => m.topic.startsWith(prefix))
            .map((m) => /f\d{3}/.exec(m.topic)?.[0])
            .filter((id) => id !== undefined),
        );
      await waitFor(
        () => heard('homeassistant/').size === FERMENTERS,
        'discovery of every fermenter',
        15_000,
      );
      // Five seconds of states from all of them, as fast as the publisher sends.
      const before = ha.messages.length;
      await new Promise((r) => setTimeout(r, 5000));
      const states = ha.messages.slice(before).filter((m) => m.topic.endsWith('/state'));
      expect(new Set(states.map((m) => m.topic)).size).toBe(FERMENTERS);
      expect(states.length).toBeGreaterThan(FERMENTERS * 3);
      await ha.close();
    } finally {
      await app.stop();
    }
    const msgs = logLines.map((l) => l.msg);
    expect(msgs).toContain('Home Assistant discovery published');
    expect(msgs).not.toContain('MQTT client disconnected: it publishes faster than allowed');
    expect(msgs).not.toContain('could not publish Home Assistant discovery');
    expect(msgs).not.toContain('MQTT connection refused: the broker has its maximum number of clients');
  }, 60_000);
});
