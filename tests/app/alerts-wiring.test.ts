// The alerts service is told who brews what from the batches of the commons: the owner and co-brewers of the
// batch on a fermenter, none for an empty one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertsWiring } from '../../app/alerts-wiring.js';
import { ConfigSchema } from '../../app/config/schema.js';
import { createLogger } from '../../app/log.js';
import { ManualClock } from '../../common/clock.js';
import { schemaChecker } from '../../common/schema-check.js';
import { openAccounts } from '../../dashboard/accounts/index.js';
import { alice, lager, makeStore } from '../recipes/commons/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('alerts wiring', () => {
  it("answers a fermenter's owners from the batch on it", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cobrew-alerts-wiring-'));
    dirs.push(dataDir);
    const { store } = makeStore();
    const accounts = openAccounts({ dataDir });
    try {
      const options = alertsWiring(
        {
          config: schemaChecker(ConfigSchema, 'config')({}),
          dataDir,
          url: 'mqtt://127.0.0.1:1',
          clock: new ManualClock(),
          accounts,
          commons: store,
          history: undefined,
          mirror: undefined,
          log: createLogger({ level: 'silent' }),
        },
        {},
      );
      expect(options.owners.ownersOf('ale')).toEqual({ owner: null, coBrewers: [] });
      const versionId = store.createRecipe({ document: lager('Helles'), author: alice.name }).latestVersionId;
      store.batches.start(
        { versionId, fermenterId: 'ale', name: 'Helles #1', coBrewers: ['bob'], profile: [] },
        alice,
      );
      expect(options.owners.ownersOf('ale')).toEqual({ owner: 'alice', coBrewers: ['bob'] });
      expect(options.owners.ownersOf('lager')).toEqual({ owner: null, coBrewers: [] });
    } finally {
      accounts.close();
      store.close();
    }
  });
});
