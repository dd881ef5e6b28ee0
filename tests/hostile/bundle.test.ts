// Finding 22: a bundle holding the same version id in two recipes is refused, not half-imported.
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { signBundle } from '../../recipes/commons/bundle-sign.js';
import { beer, makeStore } from '../recipes/commons/helpers.js';

describe('a hostile bundle', () => {
  it('is refused when two recipes hold a version with the same id', () => {
    const { store: north } = makeStore({ space: { name: 'Atelier Nord' } });
    north.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
    north.createRecipe({ document: beer('Stout'), author: 'bob', note: 'base' });
    const { signature: _, ...content } = JSON.parse(JSON.stringify(exportBundle(north)));
    content.recipes[1].versions[0].id = content.recipes[0].versions[0].id;
    // Signed by north itself: the signature holds, the content does not.
    const bundle = signBundle(content, north.key);
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

describe('a bundle recipe under another licence', () => {
  // From the mutation check: skipping the licence comparison went unnoticed.
  it('is refused as a conflict when the copy held here has another licence', () => {
    const { store: north } = makeStore({ space: { name: 'Atelier Nord' } });
    const pale = north.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
    const { store: south } = makeStore({ space: { name: 'Atelier Sud' } });
    importBundle(south, exportBundle(north), { what: 'nord.json', ledger: true });
    const { signature: _, ...content } = structuredClone(exportBundle(north));
    (content.recipes[0] as { licence: string }).licence = 'CC-BY-4.0';
    expect(() =>
      importBundle(south, signBundle(content, north.key), { what: 'nord.json', ledger: true }),
    ).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_BUNDLE_CONFLICT',
        message: expect.stringContaining(
          `recipe ${pale.id} is CC-BY-SA-4.0 here but CC-BY-4.0 in the bundle`,
        ),
      }),
    );
    expect(south.getRecipe(pale.id, null).licence).toBe('CC-BY-SA-4.0');
  });
});
