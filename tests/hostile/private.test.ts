// Finding 9: private recipes leaked through the ledger (ids, authors, times of private versions to any
// viewer), lineage, attribution and bundle import. Private means private everywhere: a viewer without access
// sees a placeholder ("a private version") with no id, title or author, or nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionText } from '../../recipes/commons/attribution.js';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { type Rig, startRig } from '../dashboard/api/rig.js';
import { alice, beer, bob, makeStore } from '../recipes/commons/helpers.js';
import { contentOf, signedBy, space } from './spaces.js';

describe('the ledger keeps private recipes private', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('shows a viewer a placeholder, and leaves it out of filtered lists, totals and the export', async () => {
    const member = await rig.as('member');
    const made = await member.post<{ id: string; latestVersionId: string }>('api/recipes', {
      document: beer('Secret stout'),
      visibility: 'private',
    });
    expect(made.status).toBe(201);
    const { id, latestVersionId } = made.body;
    const viewer = await rig.as('viewer');
    const ledger = await viewer.get<{ events: unknown[] }>('api/ledger');
    expect(ledger.body.events).toEqual([{ seq: expect.any(Number), private: true, kind: 'version' }]);
    for (const path of [
      'api/ledger',
      'api/ledger?contributor=mila',
      `api/ledger?recipe=${id}`,
      'api/contributors',
      'api/ledger/export?format=json',
      'api/ledger/export?format=csv',
    ]) {
      const res = await fetch(new URL(path, rig.app.dashboardUrl), {
        headers: { cookie: `cobrew_session=${viewer.session}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const secret of ['mila', id, latestVersionId, 'Secret']) expect(text).not.toContain(secret);
    }
    expect((await viewer.get<{ total: number }>('api/ledger?contributor=mila')).body.total).toBe(0);
    // Its owner and an admin see it whole.
    for (const who of [member, await rig.as('admin')]) {
      const own = await who.get<{ events: Array<{ contributor?: string; versionId?: string }> }>(
        'api/ledger',
      );
      expect(own.body.events).toEqual([
        expect.objectContaining({ contributor: 'mila', versionId: latestVersionId }),
      ]);
    }
  });
});

describe('lineage, attribution and brew logs keep private versions private', () => {
  it('shows a private ancestor as a placeholder to those who may not see it', () => {
    const { store } = makeStore();
    const secret = store.createRecipe({ document: beer('Secret'), author: 'alice', visibility: 'private' });
    const child = store.createRecipe({ document: beer('Open ale'), author: 'bob' });
    // What an import used to make possible: a public version made from a private one, and a public log of it.
    store.db.exec('DROP TRIGGER versions_no_update');
    store.db
      .prepare('UPDATE versions SET parent_id = ? WHERE id = ?')
      .run(secret.latestVersionId, child.latestVersionId);
    store.db
      .prepare(
        `INSERT INTO brewlogs (id, version_id, snapshot, name, brewer, started_at, notes, visibility, created_at, updated_at)
         VALUES ('3b0f6c1e-5a8d-4d7e-9b2a-1c3d5e7f9a0b', ?, '{}', 'Secret brew', 'alice', 0, '', 'public', 0, 0)`,
      )
      .run(secret.latestVersionId);

    const lineage = store.lineage(child.latestVersionId, bob);
    expect(lineage.ancestors).toEqual([{ private: true, distance: 1 }]);
    const attribution = store.attribution(child.latestVersionId, bob);
    expect(attribution.authors).toEqual(['bob']);
    const text = attributionText(attribution);
    expect(text).toContain('a private version');
    expect(JSON.stringify(attribution) + text).not.toMatch(/Secret|alice/);
    expect(JSON.stringify(store.lineage(child.latestVersionId, null))).not.toMatch(/Secret|alice/);
    expect(store.brewLogs.list({}, bob).map((l) => l.name)).toEqual([]);
    // Nor does a bundle carry them.
    expect(JSON.stringify(exportBundle(store))).not.toMatch(/Secret|alice/);
    // The owner sees her own.
    expect(store.lineage(child.latestVersionId, alice).ancestors).toEqual([
      expect.objectContaining({ title: 'Secret', author: 'alice' }),
    ]);
  });
});

describe('an import cannot expose a version private here', () => {
  function setUp() {
    const here = space('Atelier Sud');
    const secret = here.store.createRecipe({
      document: beer('Secret'),
      author: 'alice',
      visibility: 'private',
    });
    const mallory = space('Mallory');
    return { here, mallory, secretVersion: secret.latestVersionId };
  }

  it('refuses a public fork of it', () => {
    const { here, mallory, secretVersion } = setUp();
    mallory.store.createRecipe({ document: beer('Open ale'), author: 'mal' });
    const content = contentOf(mallory);
    const version = content.recipes[0]?.versions[0];
    if (version === undefined) throw new Error('no version');
    version.parentId = secretVersion;
    expect(() => importBundle(here.store, signedBy(content, mallory), { what: 'b', ledger: true })).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_CONFLICT',
        message: expect.stringContaining('private here'),
      }),
    );
    expect(here.store.listRecipes({}, null).total).toBe(0);
  });

  it('refuses a public brew log of it', () => {
    const { here, mallory, secretVersion } = setUp();
    const ale = mallory.store.createRecipe({ document: beer('Open ale'), author: 'mal' });
    mallory.store.brewLogs.create(
      { versionId: ale.latestVersionId, startedAt: 0, visibility: 'public' },
      { name: 'mal', admin: false },
    );
    const content = contentOf(mallory);
    content.recipes = [];
    const log = content.brewLogs[0];
    if (log === undefined) throw new Error('no brew log');
    log.versionId = secretVersion;
    expect(() => importBundle(here.store, signedBy(content, mallory), { what: 'b', ledger: true })).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_CONFLICT',
        message: expect.stringContaining('private here'),
      }),
    );
    expect(here.store.brewLogs.list({}, null)).toEqual([]);
    expect(exportBundle(here.store).brewLogs).toEqual([]);
  });
});
