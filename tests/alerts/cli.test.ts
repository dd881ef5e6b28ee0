// `cobrew alert test` from its own process: a test message per channel, the server's answer printed.
import { describe, expect, it } from 'vitest';
import { AlertStore } from '../../alerts/store.js';
import { cleanEnv, finished, spawnCobrew } from '../app/cli-helpers.js';
import { receiver, tempDir } from './helpers.js';

describe('cobrew alert test', () => {
  it('sends a test alert on each channel of a person and says what each server answered', async () => {
    const server = await receiver([{ status: 200 }, { status: 500 }]);
    try {
      const dataDir = tempDir();
      const store = new AlertStore(dataDir);
      store.saveContact('ann', {
        lang: 'fr',
        quietHours: null,
        channels: {
          ntfy: { url: `${server.url}/ann` },
          webhook: { url: `${server.url}/hook`, secret: 's'.repeat(16) },
        },
      });
      store.close();
      const run = await finished(
        spawnCobrew(['alert', 'test', '--user', 'ann', '--data-dir', dataDir], cleanEnv()),
      );
      expect(run.stdout).toBe('ann\tntfy\taccepted\nann\twebhook\tfailed: HTTP 500: {}\n');
      expect(run.code).toBe(1);
      expect(JSON.parse(server.hits[0]?.body ?? '').title).toBe('Alerte de test – l’espace');
      const only = await finished(
        spawnCobrew(
          ['alert', 'test', '--user', 'ann', '--channel', 'ntfy', '--data-dir', dataDir],
          cleanEnv(),
        ),
      );
      expect([only.stdout, only.code]).toEqual(['ann\tntfy\taccepted\n', 0]);
      const none = await finished(
        spawnCobrew(['alert', 'test', '--user', 'bob', '--data-dir', dataDir], cleanEnv()),
      );
      expect([none.code, none.stderr]).toEqual([
        1,
        expect.stringMatching(/^COBREW_ERR_ALERT_NO_CHANNEL: bob has no channel set/),
      ]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
