// Finding 22: a bundle holding the same version id in two recipes is refused, not half-imported.
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { beer, makeStore } from '../recipes/commons/helpers.js';

describe('a hostile bundle', () => {
  it('is refused when two recipes hold a version with the same id', () => {
    const { store: north } = makeStore({ space: { name: 'Atelier Nord' } });
    north.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
    north.createRecipe({ document: beer('Stout'), author: 'bob', note: 'base' });
    const bundle = JSON.parse(JSON.stringify(exportBundle(north)));
    bundle.recipes[1].versions[0].id = bundle.recipes[0].versions[0].id;
    const { store: south } = makeStore({ space: { name: 'Atelier Sud' } });
    expect(() => importBundle(south, bundle, { what: 'nord.json', ledger: true })).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_INVALID',
        message: expect.stringContaining('appears twice'),
      }),
    );
    expect(exportBundle(south).recipes).toEqual([]);
  });
});
