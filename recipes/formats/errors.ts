// Typed errors for recipe files. Each names the problem and what to do about it; none leaves anything
// half-imported (imports are pure: a file either yields a whole validated document or an error).
import createError from '@fastify/error';

/** Files larger than this are refused before parsing: real recipe files are a few tens of kilobytes. */
export const MAX_RECIPE_FILE_BYTES = 5 * 1024 * 1024;

export const RecipeFileTooLargeError = createError<'COBREW_ERR_RECIPE_FILE_TOO_LARGE', [string, number]>(
  'COBREW_ERR_RECIPE_FILE_TOO_LARGE',
  `%s is %s bytes; recipe files are limited to ${MAX_RECIPE_FILE_BYTES} bytes (5 MiB). ` +
    'Export the recipes one by one, or remove embedded pictures or inventories.',
);

export const RecipeFormatUnknownError = createError<'COBREW_ERR_RECIPE_FORMAT_UNKNOWN', [string, string]>(
  'COBREW_ERR_RECIPE_FORMAT_UNKNOWN',
  '%s is neither BeerJSON nor BeerXML (%s). Export the recipe from your brewing tool as BeerJSON 1.0 ' +
    '(.json) or BeerXML 1.0 (.xml).',
);

/** The bytes are not well-formed JSON or XML. `line`/`column` are 1-based when the parser knows them. */
export class RecipeFileMalformedError extends createError<
  'COBREW_ERR_RECIPE_FILE_MALFORMED',
  [string, string, string, string]
>(
  'COBREW_ERR_RECIPE_FILE_MALFORMED',
  '%s is not well-formed %s: %s%s. Fix the file at that place, or export it again from your brewing tool.',
) {
  constructor(
    what: string,
    format: 'JSON' | 'XML',
    problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(what, format, problem, line === undefined ? '' : ` (line ${line}, column ${column ?? 1})`);
  }
}

export const XmlEntitiesRefusedError = createError<'COBREW_ERR_RECIPE_XML_ENTITIES', [string]>(
  'COBREW_ERR_RECIPE_XML_ENTITIES',
  '%s declares XML entities (<!ENTITY …>). cobrew never expands them: they can read files on the ' +
    'server or swell to gigabytes. BeerXML needs none; remove the <!DOCTYPE …> block and import again.',
);

/** A BeerJSON document breaks the BeerJSON 1.0 schema; `problems` has one line per field. */
export class BeerJsonInvalidError extends createError<'COBREW_ERR_BEERJSON_INVALID', [string, string]>(
  'COBREW_ERR_BEERJSON_INVALID',
  '%s is not valid BeerJSON 1.0:\n%s\nCorrect these fields (recipes/formats/beerjson-schema holds the schema).',
) {
  constructor(
    what: string,
    readonly problems: string[],
  ) {
    super(what, problems.map((p) => `  - ${p}`).join('\n'));
  }
}

/** A BeerXML file parsed as XML but does not hold BeerXML 1.0 records cobrew can use. */
export class BeerXmlInvalidError extends createError<'COBREW_ERR_BEERXML_INVALID', [string, string]>(
  'COBREW_ERR_BEERXML_INVALID',
  '%s is not usable BeerXML 1.0:\n%s\nCorrect these records, or export the recipe again from your brewing tool.',
) {
  constructor(
    what: string,
    readonly problems: string[],
  ) {
    super(what, problems.map((p) => `  - ${p}`).join('\n'));
  }
}

export const NoRecipeError = createError<'COBREW_ERR_RECIPE_FILE_NO_RECIPE', [string]>(
  'COBREW_ERR_RECIPE_FILE_NO_RECIPE',
  '%s holds no recipe (only ingredient, style, equipment or other records). Choose a file that holds a recipe.',
);
