// Validation against the official BeerJSON 1.0 schema (draft-07, all 20 files) with Ajv, and Ajv's
// findings turned into one line per field that a person can act on.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { keyPath, quote, valueAt } from '../../common/schema-check.js';
import type { BeerJsonDocument } from './beerjson-types.js';
import { BeerJsonInvalidError } from './errors.js';
import { BEERJSON_ROOT_ID, BEERJSON_SCHEMAS } from './schema-files.js';

let compiled: ValidateFunction | undefined;

/** Compiled on first use: a cobrew command that never touches recipes pays nothing for it. */
function validator(): ValidateFunction {
  if (compiled === undefined) {
    // strict: false because the official files carry annotations Ajv's strict mode rejects (e.g.
    // `description` beside `$ref`); they are read exactly as published.
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const schema of BEERJSON_SCHEMAS) ajv.addSchema(schema);
    const root = ajv.getSchema(BEERJSON_ROOT_ID);
    if (root === undefined) throw new Error(`BeerJSON root schema ${BEERJSON_ROOT_ID} is missing`);
    compiled = root;
  }
  return compiled;
}

function describe(e: ErrorObject, root: unknown): string {
  const p = e.params as Record<string, unknown>;
  const shown = quote(valueAt(root, e.instancePath));
  switch (e.keyword) {
    case 'additionalProperties':
      return `${keyPath(e.instancePath, String(p.additionalProperty))}: not a BeerJSON field; remove it or check its spelling`;
    case 'required':
      return `${keyPath(e.instancePath, String(p.missingProperty))}: missing; BeerJSON requires it`;
    case 'enum':
      return `${keyPath(e.instancePath)}: ${shown} is not allowed; use one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${keyPath(e.instancePath)}: ${shown} is not allowed; it ${e.message ?? 'does not match the schema'}`;
  }
}

/**
 * BeerJSON's `oneOf` (an amount that is a volume or a mass, for instance) makes Ajv report every branch.
 * When a branch fails only on its unit, say which units the field accepts in one line; otherwise keep the
 * branch complaints, which already name the field.
 */
function summarise(errors: ErrorObject[], root: unknown): string[] {
  const lines: string[] = [];
  const folded = new Set<ErrorObject>();
  for (const union of errors.filter((e) => e.keyword === 'oneOf')) {
    // Branch errors come through `$ref`s, so their schema paths differ: they are known by their place.
    const inside = errors.filter(
      (e) =>
        e !== union &&
        e.keyword !== 'oneOf' &&
        (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`)),
    );
    const units = inside.filter(
      (e) => e.keyword === 'enum' && e.instancePath === `${union.instancePath}/unit`,
    );
    const others = inside.filter((e) => !units.includes(e));
    if (units.length > 0 && others.length === 0) {
      const allowed = units.flatMap((e) => (e.params as { allowedValues: string[] }).allowedValues);
      lines.push(
        `${keyPath(union.instancePath, 'unit')}: ${JSON.stringify(valueAt(root, `${union.instancePath}/unit`))} is not allowed; use one of ${allowed.map((u) => JSON.stringify(u)).join(', ')}`,
      );
      for (const e of inside) folded.add(e);
    }
    folded.add(union);
  }
  for (const e of errors) if (!folded.has(e)) lines.push(describe(e, root));
  return [...new Set(lines)];
}

/** The problems the schema finds in `doc`, one line each; empty when it is valid BeerJSON 1.0. */
export function beerJsonProblems(doc: unknown): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  return summarise(validate.errors ?? [], doc);
}

/** Asserts that `doc` is valid BeerJSON 1.0, or throws `COBREW_ERR_BEERJSON_INVALID` listing every problem. */
export function validateBeerJson(doc: unknown, what = 'The document'): asserts doc is BeerJsonDocument {
  const problems = beerJsonProblems(doc);
  if (problems.length > 0) throw new BeerJsonInvalidError(what, problems);
}
