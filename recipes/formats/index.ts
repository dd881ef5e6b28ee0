// Recipe files: BeerJSON 1.0 is cobrew's recipe document; BeerXML 1.0 is read into it and written from it.
// Everything here is pure (bytes in, documents or text out) and throws typed COBREW_ERR_* errors.
import { exportBeerJson, readBeerJson } from './beerjson.js';
import type { BeerJsonDocument, Recipe } from './beerjson-types.js';
import { exportBeerXml } from './beerxml-export.js';
import { readBeerXml } from './beerxml-import.js';
import {
  MAX_RECIPE_FILE_BYTES,
  NoRecipeError,
  RecipeFileTooLargeError,
  RecipeFormatUnknownError,
} from './errors.js';
import { validateBeerJson } from './validate.js';
import type { FormatWarning } from './warnings.js';
import { decodeJsonBytes } from './xml-text.js';

export type { BeerJsonDocument, Quantity, Recipe } from './beerjson-types.js';
export {
  BeerJsonInvalidError,
  BeerXmlInvalidError,
  MAX_RECIPE_FILE_BYTES,
  NoRecipeError,
  RecipeFileMalformedError,
  RecipeFileTooLargeError,
  RecipeFormatUnknownError,
  XmlEntitiesRefusedError,
} from './errors.js';
export { beerJsonProblems } from './validate.js';
export type { FormatWarning } from './warnings.js';
export { exportBeerJson, exportBeerXml, validateBeerJson };

export interface ImportResult {
  /** The format the bytes were in. */
  format: 'beerjson' | 'beerxml';
  /** One BeerJSON 1.0 document, valid against the official schema (all recipes of the file are in it). */
  document: BeerJsonDocument;
  /** What the import tolerated or could not carry over; empty for a clean file. */
  warnings: FormatWarning[];
}

/** What the first non-blank character says the file is; the extension is only a hint for the error. */
function detect(bytes: Buffer): 'beerjson' | 'beerxml' | undefined {
  let i = 0;
  // UTF-8 byte order mark, then white space.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i] as number)) i++;
  if (bytes[i] === 0x7b) return 'beerjson';
  if (bytes[i] === 0x3c) return 'beerxml';
  // UTF-16 byte order marks: only XML may come that way.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'beerxml';
  return undefined;
}

/**
 * Reads a BeerJSON or BeerXML file (told apart by content) into a validated BeerJSON document.
 * Throws COBREW_ERR_RECIPE_FILE_TOO_LARGE (over 5 MiB), COBREW_ERR_RECIPE_FORMAT_UNKNOWN,
 * COBREW_ERR_RECIPE_FILE_MALFORMED (with line and column), COBREW_ERR_RECIPE_XML_ENTITIES,
 * COBREW_ERR_BEERJSON_INVALID or COBREW_ERR_BEERXML_INVALID (whose problems name the XML element and line).
 */
export function importRecipeFile(bytes: Buffer, filename?: string): ImportResult {
  const what = filename ?? 'The recipe file';
  if (bytes.length > MAX_RECIPE_FILE_BYTES) throw new RecipeFileTooLargeError(what, bytes.length);
  const format = detect(bytes);
  if (format === 'beerjson') {
    return { format, ...readBeerJson(decodeJsonBytes(bytes, what), what) };
  }
  if (format === 'beerxml') {
    // Checked against the BeerJSON schema inside, where a problem can still name its XML element.
    return { format, ...readBeerXml(bytes, what) };
  }
  const hint = filename === undefined ? '' : `, whatever its name ${filename} suggests`;
  throw new RecipeFormatUnknownError(what, `it starts with neither "{" nor "<"${hint}`);
}

/** The document's recipes; throws COBREW_ERR_RECIPE_FILE_NO_RECIPE when it holds none (e.g. a hop record). */
export function recipesOf(doc: BeerJsonDocument, what = 'The document'): Recipe[] {
  const recipes = doc.beerjson.recipes ?? [];
  if (recipes.length === 0) throw new NoRecipeError(what);
  return recipes;
}
