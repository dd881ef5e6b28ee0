// Finding 19: a bundle could impersonate the people and the space it is imported into. Imported authors are
// always qualified by their origin space and never merge with accounts here, and no bundle speaks as this
// space, by its id or by its name, trusted or not.
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { beer } from '../recipes/commons/helpers.js';
import { contentOf, signedBy, space } from './spaces.js';

const opts = { what: 'bundle.json', ledger: true };

describe('a bundle cannot speak for people or the space here', () => {
  it('names its authors name@origin, apart from the accounts here', () => {
    const here = space('Atelier Sud');
    here.store.createRecipe({ document: beer('Our pale'), author: 'alice' });
    const mallory = space('Mallory');
    const plain = mallory.store.createRecipe({ document: beer('Fake 1'), author: 'alice' });
    // A name that already claims this space.
    const posing = mallory.store.createRecipe({ document: beer('Fake 2'), author: `alice@${here.key.id}` });
    importBundle(here.store, exportBundle(mallory.store), opts);

    expect(here.store.getRecipe(plain.id, null).owner).toBe(`alice@${mallory.key.id}`);
    expect(here.store.getRecipe(posing.id, null).owner).toBe(`alice@${here.key.id}@${mallory.key.id}`);
    // Alice here keeps her recipes and her points; the imported ones are someone else's.
    expect(here.store.listRecipes({ author: 'alice' }, null).recipes.map((r) => r.title)).toEqual([
      'Our pale',
    ]);
    const alices = here.store.ledger.contributors().filter((c) => c.name === 'alice');
    expect(alices).toEqual([expect.objectContaining({ events: 1 })]);
    expect(here.store.ledger.list({ contributor: 'alice' }).total).toBe(1);
  });

  it('refuses recipes that say they were made here, even from a trusted space', () => {
    const mallory = space('Mallory');
    const here = space('Atelier Sud', [mallory.entry]);
    mallory.store.createRecipe({ document: beer('Fake'), author: 'alice' });
    const content = contentOf(mallory);
    for (const r of content.recipes) r.origin = { id: here.key.id, name: 'Atelier Sud', url: null };
    expect(() => importBundle(here.store, signedBy(content, mallory), opts)).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_ORIGIN',
        message: expect.stringContaining('says it was made in this space'),
      }),
    );
    expect(here.store.listRecipes({}, null).total).toBe(0);
  });

  it("refuses a space named like this one, as signer or as a recipe's origin", () => {
    const here = space('Atelier Sud');
    const mallory = space('Mallory');
    mallory.store.createRecipe({ document: beer('Fake'), author: 'alice' });
    const content = contentOf(mallory);
    expect(() =>
      importBundle(here.store, signedBy(content, mallory, { name: ' atelier sud' }), opts),
    ).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_ORIGIN',
        message: expect.stringContaining('named like this one'),
      }),
    );
    for (const r of content.recipes) r.origin.name = 'ATELIER SUD';
    expect(() => importBundle(here.store, signedBy(content, mallory), opts)).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_ORIGIN',
        message: expect.stringContaining('named like this one'),
      }),
    );
    expect(here.store.listRecipes({}, null).total).toBe(0);
  });
});
