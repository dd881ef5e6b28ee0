// Loads the living library into a commons, as a bundle from the "cobrew library": run at every start, it adds
// only what the space does not hold yet (nothing after the first start, until a new cobrew brings new
// library versions). The library is cobrew's gift: it is credited in attributions, not paid from pots, so
// it writes no ledger events. The code vouches for it, so it is not signed: no bundle file can speak for the
// library, and only this loader adds versions to its recipes.

import type { Bundle } from '../commons/bundle.js';
import { applyBundle, type ImportReport } from '../commons/bundle-import.js';
import { sha256 } from '../commons/document.js';
import type { CommonsStore } from '../commons/store.js';
import { LIBRARY, LIBRARY_AUTHOR, LIBRARY_LICENCE, LIBRARY_ORIGIN } from './manifest.js';

export function libraryBundle(): Pick<Bundle, 'recipes' | 'brewLogs'> {
  return {
    recipes: LIBRARY.map((recipe) => ({
      id: recipe.id,
      licence: LIBRARY_LICENCE,
      owner: LIBRARY_AUTHOR,
      createdAt: Date.parse(recipe.versions[0]?.createdAt ?? ''),
      origin: LIBRARY_ORIGIN,
      versions: recipe.versions.map((v, i) => ({
        id: v.id,
        number: i + 1,
        parentId: i === 0 ? recipe.forkOf : (recipe.versions[i - 1]?.id ?? null),
        author: LIBRARY_AUTHOR,
        createdAt: Date.parse(v.createdAt),
        note: v.note,
        sha256: sha256(JSON.stringify(v.document)),
        document: v.document,
      })),
      attribution: '',
    })),
    brewLogs: [],
  };
}

export function loadLibrary(store: CommonsStore): ImportReport {
  const source = { id: LIBRARY_ORIGIN.id, name: LIBRARY_ORIGIN.name, relays: false };
  return applyBundle(store, libraryBundle(), source, { what: 'the cobrew library', ledger: false });
}
