// Finding 8: a bundle from any space could append versions to another space's recipe, cobrew's library
// included. Bundles are now signed; only a recipe's own space adds versions to it, the origin is the key
// that signed, not what the bundle says, and only trusted spaces pass on others' recipes.
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { loadLibrary } from '../../recipes/library/load.js';
import { LIBRARY } from '../../recipes/library/manifest.js';
import { alice, beer } from '../recipes/commons/helpers.js';
import { appendVersion, contentOf, signedBy, space } from './spaces.js';

const refusal = (code: string, message?: RegExp) =>
  expect.objectContaining({
    code,
    ...(message === undefined ? {} : { message: expect.stringMatching(message) }),
  });
const opts = { what: 'bundle.json', ledger: true };

/** North made a pale ale; south holds north's bundle; mallory is any other space. */
function world() {
  const north = space('Atelier Nord');
  const pale = north.store.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
  const south = space('Atelier Sud');
  importBundle(south.store, exportBundle(north.store), opts);
  const mallory = space('Mallory');
  return { north, south, mallory, pale };
}

describe("a bundle cannot add versions to another space's recipe", () => {
  it('signed by another space, the new version is refused and nothing is imported', () => {
    const { south, north, mallory, pale } = world();
    const content = contentOf(north);
    appendVersion(content, pale.id, 'alice', 'Pale, taken over');
    const ledger = south.store.ledger.list().total;
    expect(() => importBundle(south.store, signedBy(content, mallory), opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_ORIGIN', /cannot add version 2/),
    );
    expect(south.store.getRecipe(pale.id, null).versionCount).toBe(1);
    expect(south.store.ledger.list().total).toBe(ledger);
  });

  it('claiming to be the origin without its key fails the signature', () => {
    const { south, north, mallory, pale } = world();
    const content = contentOf(north);
    appendVersion(content, pale.id, 'alice', 'Pale, taken over');
    // North's id and key named, mallory's key signing.
    const asNorth = signedBy(content, mallory, { id: north.key.id, publicKey: north.key.publicKey });
    expect(() => importBundle(south.store, asNorth, opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_SIGNATURE', /does not match/),
    );
    // North's id with mallory's own key: the id is not the key's.
    const idOnly = signedBy(content, mallory, { id: north.key.id });
    expect(() => importBundle(south.store, idOnly, opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_SIGNATURE', /is not the id of the public key/),
    );
    // North's own bundle, changed after signing.
    const genuine = exportBundle(north.store);
    const tampered = structuredClone(genuine);
    tampered.recipes[0]?.versions.push(...(content.recipes[0]?.versions.slice(1) ?? []));
    expect(() => importBundle(south.store, tampered, opts)).toThrow(refusal('COBREW_ERR_BUNDLE_SIGNATURE'));
    // And no signature at all.
    const { signature: _, ...unsigned } = genuine;
    expect(() => importBundle(south.store, unsigned, opts)).toThrow(refusal('COBREW_ERR_BUNDLE_INVALID'));
    expect(south.store.getRecipe(pale.id, null).versionCount).toBe(1);
  });

  it("cobrew's library gets versions from no bundle, not even a trusted space's", () => {
    const mallory = space('Mallory');
    const south = space('Atelier Sud', [mallory.entry]);
    loadLibrary(south.store);
    loadLibrary(mallory.store);
    const pale = LIBRARY[0]?.id as string;
    const content = contentOf(mallory);
    appendVersion(content, pale, 'cobrew', 'Pale ale, taken over');
    expect(() => importBundle(south.store, signedBy(content, mallory), opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_ORIGIN', /cannot add version 3/),
    );
    expect(south.store.getRecipe(pale, null).versionCount).toBe(2);
  });

  it("the origin's own signed bundle adds its new versions", () => {
    const { south, north, pale } = world();
    north.store.addVersion(
      pale.id,
      { document: beer('Pale', { hopsG: 50 }), author: 'alice', note: 'v2' },
      alice,
    );
    const report = importBundle(south.store, exportBundle(north.store), opts);
    expect(report.versions).toEqual({ added: 1, known: 1 });
    expect(south.store.getRecipe(pale.id, null).versionCount).toBe(2);
  });

  it('an unknown space brings its own recipes, under its own id', () => {
    const { south, mallory } = world();
    const own = mallory.store.createRecipe({ document: beer('Mallory ale'), author: 'mal' });
    const report = importBundle(south.store, exportBundle(mallory.store), opts);
    expect(report.recipes.added).toBe(1);
    expect(south.store.getRecipe(own.id, null)).toMatchObject({
      local: false,
      owner: `mal@${mallory.key.id}`,
      origin: { id: mallory.key.id, name: 'Mallory' },
    });
  });

  it("passes on another space's recipe only when the signer is trusted", () => {
    const { north, mallory, pale } = world();
    // Mallory holds north's pale ale and passes it on in its own bundle.
    importBundle(mallory.store, exportBundle(north.store), opts);
    const relayed = exportBundle(mallory.store);
    const east = space('Atelier Est');
    expect(() => importBundle(east.store, relayed, opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_ORIGIN', /not in commons.trustedSpaces/),
    );
    expect(east.store.listRecipes({}, null).total).toBe(0);
    const west = space('Atelier Ouest', [mallory.entry]);
    expect(importBundle(west.store, relayed, opts).recipes.added).toBe(1);
    // The origin stays north's: north alone adds versions to it there too.
    expect(west.store.getRecipe(pale.id, null).origin.id).toBe(north.key.id);
    const content = contentOf(mallory);
    appendVersion(content, pale.id, `alice@${north.key.id}`, 'Pale, taken over');
    expect(() => importBundle(west.store, signedBy(content, mallory), opts)).toThrow(
      refusal('COBREW_ERR_BUNDLE_ORIGIN', /cannot add version 2/),
    );
  });
});

describe('a bundle dated in the future', () => {
  it('is refused whole, naming the date, before anything is imported', () => {
    const { north, pale } = world();
    const content = contentOf(north);
    const version = content.recipes.find((r) => r.id === pale.id)?.versions[0];
    if (version === undefined) throw new Error('no version exported');
    version.createdAt = north.store.clock.now() + 400 * 86_400_000;
    const east = space('Atelier Est');
    expect(() => importBundle(east.store, signedBy(content, north), opts)).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_INVALID',
        message: expect.stringMatching(/createdAt is .* more than a day after this clock/),
      }),
    );
    expect(east.store.ledger.list().total).toBe(0);
    // A day's difference between two spaces' clocks is no reason to refuse.
    version.createdAt = north.store.clock.now() + 3_600_000;
    expect(importBundle(east.store, signedBy(content, north), opts).versions.added).toBe(1);
  });
});
