// The recipe document is one BeerJSON 1.0 document holding exactly one recipe, stored whole and as given.
// Licence, lineage and authorship live beside it in the commons tables: BeerJSON has no fields for them and
// forbids extra ones.
import { createHash } from 'node:crypto';
import { BeerJsonInvalidError, validateBeerJson } from '../formats/index.js';
import { RecipeDocumentInvalidError } from './errors.js';

/** Far above any real recipe (a few tens of kilobytes), low enough that the database stays small. */
export const MAX_DOCUMENT_CHARS = 1_000_000;

export interface CheckedDocument {
  title: string;
  text: string;
  sha256: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Validates against the BeerJSON schema and the one-recipe rule; returns what the tables keep. */
export function checkRecipeDocument(doc: unknown): CheckedDocument {
  try {
    validateBeerJson(doc, 'The recipe document');
  } catch (err) {
    if (err instanceof BeerJsonInvalidError) throw new RecipeDocumentInvalidError(err.message);
    throw err;
  }
  const recipes = doc.beerjson.recipes ?? [];
  if (recipes.length !== 1) {
    throw new RecipeDocumentInvalidError(
      `it holds ${recipes.length} recipes; split a file of several recipes into one document each`,
    );
  }
  const title = (recipes[0] as { name: string }).name.trim();
  if (title === '') throw new RecipeDocumentInvalidError('the recipe has an empty name; give it one');
  const text = JSON.stringify(doc);
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new RecipeDocumentInvalidError(
      `it is ${text.length} characters long, more than ${MAX_DOCUMENT_CHARS}; remove embedded data`,
    );
  }
  return { title, text, sha256: sha256(text) };
}

/** One document per recipe of a BeerJSON document, each keeping the file's version: for multi-recipe files. */
export function splitRecipes(doc: { beerjson: { version: number; recipes?: unknown[] } }): unknown[] {
  return (doc.beerjson.recipes ?? []).map((r) => ({
    beerjson: { version: doc.beerjson.version, recipes: [r] },
  }));
}

/** A copy of the document with the recipe renamed: a fork may take a new name. */
export function renamed(doc: unknown, title: string): unknown {
  const copy = structuredClone(doc) as { beerjson: { recipes: Array<{ name: string }> } };
  const first = copy.beerjson.recipes[0];
  if (first !== undefined) first.name = title;
  return copy;
}
