// BeerJSON files in and out: strict JSON, validated against the official schema both ways.
import { nestsDeeperThan } from '../../common/json-depth.js';
import type { BeerJsonDocument, Quantity } from './beerjson-types.js';
import { RecipeFileMalformedError } from './errors.js';
import { isThousandfoldSg } from './units.js';
import { validateBeerJson } from './validate.js';
import type { FormatWarning } from './warnings.js';

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Deeper than any BeerJSON document (a recipe is about 6 levels deep). */
const MAX_DEPTH = 64;

function parseJson(text: string, what: string): unknown {
  if (nestsDeeperThan(text, MAX_DEPTH)) {
    throw new RecipeFileMalformedError(what, 'JSON', `it nests more than ${MAX_DEPTH} levels deep`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at === null ? undefined : lineColumn(text, Number(at[1]));
    throw new RecipeFileMalformedError(
      what,
      'JSON',
      message.replace(/ in JSON at position \d+.*$/, ''),
      where?.line,
      where?.column,
    );
  }
}

export function readBeerJson(
  text: string,
  what: string,
): { document: BeerJsonDocument; warnings: FormatWarning[] } {
  const doc = parseJson(text, what);
  validateBeerJson(doc, what);
  const warnings: FormatWarning[] = [];
  // The schema accepts any number here, and tools write their own release numbers (the official
  // samples say 2.06); the structure is what the 1.0 schema checked, so say so and go on.
  if (doc.beerjson.version !== 1) {
    warnings.push({
      code: 'BEERJSON_VERSION',
      message: `the file says BeerJSON version ${doc.beerjson.version}; it was read and validated as BeerJSON 1.0`,
    });
  }
  warnings.push(...thousandfoldGravities(doc));
  return { document: doc, warnings };
}

/**
 * Gravities written as SG × 1000 ("1038" for 1.038) are valid against the schema but not what BeerJSON
 * means; the document is kept as given and cobrew's calculations and exports read them as SG ÷ 1000.
 */
function thousandfoldGravities(doc: unknown): FormatWarning[] {
  const found: FormatWarning[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) walk(v, `${path}[${i}]`);
    } else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.unit === 'sg' && typeof o.value === 'number' && isThousandfoldSg(o as unknown as Quantity)) {
        found.push({
          code: 'BEERJSON_GRAVITY_THOUSANDFOLD',
          message: `${path}: ${o.value} sg is SG × 1000; read as ${o.value / 1000}`,
        });
      }
      for (const [k, v] of Object.entries(o)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(doc, '');
  return found;
}

/** The document as BeerJSON text (two-space indent, final newline); throws if it is not valid BeerJSON 1.0. */
export function exportBeerJson(doc: BeerJsonDocument): string {
  validateBeerJson(doc, 'The recipe to export');
  return `${JSON.stringify(doc, null, 2)}\n`;
}
