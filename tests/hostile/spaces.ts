// Spaces for the hostile bundle tests: commons stores, each with its own signing key, and a way to forge a
// bundle: change a space's export, then sign it with any key, under any name.
import { type Bundle, type BundleContent, exportBundle } from '../../recipes/commons/bundle.js';
import { signBundle } from '../../recipes/commons/bundle-sign.js';
import { sha256 } from '../../recipes/commons/document.js';
import { generateSpaceKey, type SpaceKey } from '../../recipes/commons/space-key.js';
import type { CommonsStore } from '../../recipes/commons/store.js';
import type { TrustedSpace } from '../../recipes/commons/trust.js';
import { beer, makeStore } from '../recipes/commons/helpers.js';

export interface Space {
  store: CommonsStore;
  key: SpaceKey;
  /** As it would be listed in another space's commons.trustedSpaces. */
  entry: TrustedSpace;
}

export function space(name: string, trustedSpaces: TrustedSpace[] = []): Space {
  const key = generateSpaceKey();
  const { store } = makeStore({ space: { name }, key, trustedSpaces });
  return { store, key, entry: { id: key.id, publicKey: key.publicKey, name } };
}

/** `from`'s export, unsigned, to change at will. */
export function contentOf(from: Space): BundleContent {
  const { signature: _, ...content } = structuredClone(exportBundle(from.store));
  return content;
}

/** Signs `content` with `by`'s key, naming `by` as its space (or whatever `as` says). */
export function signedBy(content: BundleContent, by: Space, as: Partial<Bundle['space']> = {}): Bundle {
  const space = { id: by.key.id, name: by.store.space.name, url: null, publicKey: by.key.publicKey, ...as };
  return signBundle({ ...content, space }, by.key);
}

/** Appends a version to the bundle's recipe `recipeId`, as its next number. */
export function appendVersion(content: BundleContent, recipeId: string, author: string, title: string): void {
  const recipe = content.recipes.find((r) => r.id === recipeId);
  if (recipe === undefined) throw new Error(`no recipe ${recipeId} in the bundle`);
  const last = recipe.versions.at(-1) as (typeof recipe.versions)[number];
  const document = beer(title, { hopsG: 99 });
  recipe.versions.push({
    id: crypto.randomUUID(),
    number: last.number + 1,
    parentId: last.id,
    author,
    createdAt: last.createdAt + 1000,
    note: 'taken over',
    sha256: sha256(JSON.stringify(document)),
    document,
  });
}
