import { afterEach, describe, expect, it } from 'vitest';
import type { AttributionStep } from '../../../recipes/commons/attribution.js';
import { type Bundle, exportBundle } from '../../../recipes/commons/bundle.js';
import { importBundle } from '../../../recipes/commons/bundle-import.js';
import { signBundle } from '../../../recipes/commons/bundle-sign.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import type { LineageNode } from '../../../recipes/commons/types.js';
import { alice, beer, bob, makeStore } from './helpers.js';

const stores: CommonsStore[] = [];

function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function space(name: string, url?: string) {
  const made = makeStore({ space: url === undefined ? { name } : { name, url } });
  stores.push(made.store);
  return made;
}

/** A space with a public recipe, a revision, a public fork, a private recipe and public and private logs. */
function source() {
  const { store, clock } = space('Atelier Nord', 'https://nord.example.org');
  const pale = store.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
  clock.advance(1000);
  const pale2 = store.addVersion(
    pale.id,
    { document: beer('Pale', { hopsG: 40 }), author: 'alice', note: 'hops' },
    alice,
  );
  clock.advance(1000);
  const ipa = store.fork(
    pale2.id,
    { author: 'bob', title: 'IPA', note: 'more hops', licence: 'CC-BY-SA-4.0' },
    bob,
  );
  store.createRecipe({ document: beer('Secret'), author: 'alice', visibility: 'private' });
  const log = store.brewLogs.create(
    {
      versionId: ipa.latestVersionId,
      fermenterId: 'ale',
      startedAt: clock.now(),
      visibility: 'public',
      notes: 'good',
    },
    bob,
  );
  store.brewLogs.addReading(log.id, { at: clock.now(), gravity: 1.06 }, bob);
  store.brewLogs.create({ versionId: ipa.latestVersionId, startedAt: clock.now() }, bob);
  return { store, pale, pale2, ipa, log };
}

describe('commons bundles', () => {
  it('exports public recipes with versions, lineage, licences, attribution, and public brew logs', () => {
    const { store, pale, ipa, log } = source();
    const bundle = exportBundle(store);
    expect(bundle).toMatchObject({
      format: 'cobrew-commons-bundle',
      formatVersion: 2,
      space: { id: store.space.id, name: 'Atelier Nord', publicKey: store.key.publicKey },
      signature: expect.stringMatching(/^[\w-]{86}$/),
    });
    // People of the exporting space go out qualified by its id.
    expect(bundle.recipes[0]?.versions[0]?.author).toBe(`alice@${store.space.id}`);
    expect(bundle.recipes.map((r) => [r.id, r.licence, r.versions.length])).toEqual([
      [pale.id, 'CC-BY-SA-4.0', 2],
      [ipa.id, 'CC-BY-SA-4.0', 1],
    ]);
    expect(bundle.recipes[1]?.versions[0]?.parentId).toBe(
      pale.versions[0] && bundle.recipes[0]?.versions[1]?.id,
    );
    expect(bundle.recipes[1]?.attribution).toContain('Authors: alice, bob');
    expect(bundle.recipes[1]?.origin).toEqual({
      id: store.space.id,
      name: 'Atelier Nord',
      url: 'https://nord.example.org',
    });
    expect(bundle.brewLogs.map((l) => [l.id, l.readings.length])).toEqual([[log.id, 1]]);
    expect(JSON.stringify(bundle)).not.toContain('Secret');
  });

  it('imports into another space keeping ids, authors and lineage; twice adds nothing', () => {
    const { store: north, ipa, log } = source();
    const bundle = JSON.parse(JSON.stringify(exportBundle(north)));
    const { store: south } = space('Atelier Sud');
    const first = importBundle(south, bundle, { what: 'nord.json', ledger: true });
    expect(first).toEqual({
      recipes: { added: 2, known: 0 },
      versions: { added: 3, known: 0 },
      brewLogs: { added: 1, known: 0 },
    });
    const again = importBundle(south, bundle, { what: 'nord.json', ledger: true });
    expect(again).toEqual({
      recipes: { added: 0, known: 2 },
      versions: { added: 0, known: 3 },
      brewLogs: { added: 0, known: 1 },
    });
    const nord = north.space.id;
    const copy = south.getRecipe(ipa.id, null);
    expect(copy).toMatchObject({
      title: 'IPA',
      owner: `bob@${nord}`,
      local: false,
      origin: { name: 'Atelier Nord', url: 'https://nord.example.org' },
    });
    const a = south.attribution(copy.latestVersionId, null);
    expect(a.authors).toEqual([`alice@${nord}`, `bob@${nord}`]);
    expect((a.steps as AttributionStep[]).map((s) => s.origin.name)).toEqual([
      'Atelier Nord',
      'Atelier Nord',
      'Atelier Nord',
    ]);
    expect((a.steps[0] as AttributionStep).link).toMatch(/^https:\/\/nord\.example\.org\/api\/recipes\//);
    expect(south.brewLogs.get(log.id, null)).toMatchObject({
      brewer: `bob@${nord}`,
      local: false,
      readings: [{ gravity: 1.06 }],
    });
    // Imported contributions are credited to their authors, once.
    expect(south.ledger.list().events.map((e) => [e.contributor, e.kind, e.space])).toEqual([
      [`alice@${nord}`, 'version', 'Atelier Nord'],
      [`alice@${nord}`, 'version', 'Atelier Nord'],
      [`bob@${nord}`, 'fork', 'Atelier Nord'],
      [`bob@${nord}`, 'brewlog', 'Atelier Nord'],
    ]);
    // Only the home space adds versions; here one forks.
    expect(() =>
      south.addVersion(
        ipa.id,
        { document: beer('IPA'), author: 'bob', note: 'x' },
        { name: 'bob', admin: false },
      ),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_RECIPE_NOT_LOCAL' }));
    const fork = south.fork(copy.latestVersionId, { author: 'carol' }, { name: 'carol', admin: false });
    // Round trip: the south's bundle goes back north; what north made is recognised, the fork is new.
    const back = importBundle(north, exportBundle(south), { what: 'sud.json', ledger: true });
    expect(back.recipes).toEqual({ added: 1, known: 2 });
    expect(
      north.lineage(fork.latestVersionId, null).ancestors.map((n) => (n as LineageNode).recipeTitle),
    ).toEqual(['Pale', 'Pale', 'IPA']);
  });

  it('adds the newer versions of a recipe already imported', () => {
    const { store: north, pale } = source();
    const { store: south } = space('Atelier Sud');
    importBundle(south, exportBundle(north), { what: 'v1', ledger: false });
    north.addVersion(pale.id, { document: beer('Pale', { hopsG: 60 }), author: 'alice', note: 'v3' }, alice);
    const report = importBundle(south, exportBundle(north), { what: 'v2', ledger: false });
    expect(report.versions).toEqual({ added: 1, known: 3 });
    expect(south.getRecipe(pale.id, null).versionCount).toBe(3);
    expect(south.ledger.list().total).toBe(0);
  });

  it('refuses an invalid, altered or conflicting bundle and imports nothing', () => {
    const { store: north, pale } = source();
    const { store: south } = space('Atelier Sud');
    const good = exportBundle(north);
    const check = (bundle: unknown, code: string, message?: RegExp) => {
      expect(() => importBundle(south, bundle, { what: 'b.json', ledger: true })).toThrow(
        expect.objectContaining({ code }),
      );
      if (message)
        expect(() => importBundle(south, bundle, { what: 'b.json', ledger: true })).toThrow(message);
      expect(south.listRecipes({}, null).total).toBe(0);
      expect(south.ledger.list().total).toBe(0);
    };
    // Format 1 bundles were unsigned.
    check({ ...good, formatVersion: 1 }, 'COBREW_ERR_BUNDLE_INVALID');
    check({ ...good, extra: 1 }, 'COBREW_ERR_BUNDLE_INVALID');
    check('not a bundle', 'COBREW_ERR_BUNDLE_INVALID');
    // Changed, then signed again by north itself: the checks after the signature's.
    const edited = (change: (b: Bundle) => void) => {
      const { signature: _, ...copy } = structuredClone(good);
      change(copy as Bundle);
      return signBundle(copy, north.key);
    };
    const altered = edited((b) => {
      const doc = at(at(b.recipes, 0).versions, 1).document as {
        beerjson: { recipes: Array<{ name: string }> };
      };
      at(doc.beerjson.recipes, 0).name = 'Evil';
    });
    check(altered, 'COBREW_ERR_BUNDLE_INVALID', /does not match its sha256/);
    check(
      edited((b) => b.recipes.splice(0, 1)),
      'COBREW_ERR_BUNDLE_INVALID',
      /neither here nor in the bundle/,
    );
    check(
      edited((b) => {
        at(b.recipes, 1).licence = 'CC0-1.0';
      }),
      'COBREW_ERR_BUNDLE_INVALID',
      /cannot be licensed CC0-1.0/,
    );
    check(
      edited((b) => {
        at(b.recipes, 0).origin.url = 'javascript:alert(1)';
      }),
      'COBREW_ERR_BUNDLE_INVALID',
    );
    // A version that differs from the copy already held is a conflict.
    importBundle(south, good, { what: 'good', ledger: false });
    const rewritten = edited((b) => {
      at(at(b.recipes, 0).versions, 0).note = 'rewritten history';
    });
    const reauthored = edited((b) => {
      at(at(b.recipes, 1).versions, 0).author = 'mallory';
    });
    for (const bundle of [rewritten, reauthored]) {
      expect(() => importBundle(south, bundle, { what: 'b.json', ledger: false })).toThrow(
        expect.objectContaining({ code: 'COBREW_ERR_BUNDLE_CONFLICT', statusCode: 409 }),
      );
    }
    expect(south.getVersion(pale.id, 1, null).note).toBe('base');
  });
});
