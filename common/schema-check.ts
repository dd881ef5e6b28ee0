// Validation against our JSON Schemas with Ajv (fastify's validator): fills defaults, and turns Ajv's
// findings into errors that name the key path, the bad value and what is allowed.

import createError from '@fastify/error';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';

export const InvalidInputError = createError('COBREW_ERR_INVALID', '%s is invalid:\n%s');

// discriminator: a tagged union (a fermenter's `board`) is checked against its tag's branch only, and that
// branch's defaults are filled in (Ajv fills none inside a plain anyOf/oneOf).
const AJV_OPTIONS = {
  useDefaults: true,
  allErrors: true,
  strict: false,
  coerceTypes: false,
  discriminator: true,
  // parentSchema in errors, so a wrong tag's message can list the allowed ones.
  verbose: true,
} as const;
const ajv = new Ajv(AJV_OPTIONS);

/** A JSON pointer from Ajv as a person reads a key: `fermenters[0].control.mode`. */
export function keyPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

/** Characters of a refused value quoted back at most: a 500 KB value must not make a 500 KB answer and log line. */
const QUOTE_MAX = 80;
/** Problems listed at most; the rest are counted. */
const LINES_MAX = 20;

/** A value as JSON, cut to a short prefix. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}… (${text.length} characters)`;
}

/** The value at an Ajv instance path of `root`. */
export function valueAt(root: unknown, instancePath: string): unknown {
  return instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], root);
}

function describe(e: ErrorObject, root: unknown): string {
  const shown = quote(valueAt(root, e.instancePath));
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${keyPath(e.instancePath, String(p.additionalProperty))}: unknown key; remove it or check its spelling`;
    case 'required':
      return `${keyPath(e.instancePath, String(p.missingProperty))}: missing; it is required`;
    case 'enum':
      return `${keyPath(e.instancePath)}: ${shown} is not allowed; use one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'discriminator': {
      const tag = String(p.tag);
      const allowed = (
        e.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> }
      )?.oneOf?.map((b) => JSON.stringify(b.properties?.[tag]?.const));
      return `${keyPath(e.instancePath, tag)}: ${quote(p.tagValue)} is not allowed; use one of ${allowed?.join(', ') ?? 'the documented values'}`;
    }
    case 'const':
      return `${keyPath(e.instancePath)}: ${shown} is not allowed; use ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${keyPath(e.instancePath)}: ${shown} is not allowed; it ${e.message ?? 'does not match the schema'}`;
  }
}

/**
 * Ajv reports every branch of a union. Keep what a person needs: when one branch matched the value's
 * literal tag (a fault's `kind`), only that branch's complaints; when none did, one line listing the
 * allowed literals.
 */
function prune(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors;
  for (const union of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${union.schemaPath.slice(0, -'/anyOf'.length)}/anyOf/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of kept) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] as string;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const isTag = (e: ErrorObject) =>
      /^\d+(\/properties\/[^/]+)?\/const$/.test(e.schemaPath.slice(prefix.length));
    const all = [...branches.values()];
    if (!all.some((list) => list.some(isTag))) {
      // Not a tagged union (e.g. number or null): one line with the types it accepts.
      const types = all.flat().filter((e) => e.keyword === 'type' && e.instancePath === union.instancePath);
      if (types.length === all.flat().length && types.length > 0) {
        const names = [...new Set(types.map((e) => String((e.params as { type: string }).type)))];
        union.message = `must be ${names.join(' or ')}`;
      }
      kept = kept.filter((e) => e === union || !all.flat().includes(e));
      continue;
    }
    const tagMatched = all.filter((list) => !list.some(isTag));
    const drop = new Set<ErrorObject>([union]);
    for (const list of branches.values()) {
      if (tagMatched.length === 1 && list === tagMatched[0]) continue;
      for (const e of list) if (tagMatched.length === 1 || !isTag(e)) drop.add(e);
    }
    kept = kept.filter((e) => !drop.has(e));
  }
  return kept;
}

/** Literal unions arrive as one `const` error per branch; fold them into one line listing the choices. */
function fold(errors: ErrorObject[], root: unknown): string[] {
  const lines: string[] = [];
  const consts = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword !== 'const') continue;
    const list = consts.get(e.instancePath) ?? [];
    list.push((e.params as { allowedValue: unknown }).allowedValue);
    consts.set(e.instancePath, list);
  }
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = consts.get(e.instancePath);
      if (!list) continue;
      consts.delete(e.instancePath);
      lines.push(describe({ ...e, keyword: 'enum', params: { allowedValues: list } } as ErrorObject, root));
      continue;
    }
    lines.push(describe(e, root));
  }
  return [...new Set(lines)];
}

/**
 * Compiles a schema at its first use, once; the checker fills defaults in place and returns the typed value
 * or throws. Lazily: compiling costs memory that a process never checking such values (a bridge, say, and
 * the dashboard's payloads) should not pay.
 */
export function schemaChecker<S extends TSchema>(schema: S, what: string) {
  let validate: ReturnType<typeof ajv.compile> | undefined;
  return (value: unknown): Static<S> => {
    validate ??= ajv.compile(schema);
    if (validate(value)) return value as Static<S>;
    throw new InvalidInputError(what, listed(fold(prune(validate.errors ?? []), value)));
  };
}

/**
 * Checks one value against a schema compiled for this call only, then forgets the compiled code: for a large
 * schema used once per run (the whole configuration, whose validator's source alone is 1.6 MB), which is then
 * collected with its own Ajv.
 */
export function checkOnce<S extends TSchema>(schema: S, what: string, value: unknown): Static<S> {
  // An Ajv of its own: the shared one keeps every compiled function in its scope for good.
  const validate = new Ajv(AJV_OPTIONS).compile(schema);
  if (validate(value)) return value as Static<S>;
  throw new InvalidInputError(what, listed(fold(prune(validate.errors ?? []), value)));
}

function listed(lines: string[]): string {
  const shown = lines.slice(0, LINES_MAX).map((l) => `  - ${l}`);
  if (lines.length > LINES_MAX) shown.push(`  - and ${lines.length - LINES_MAX} more problems`);
  return shown.join('\n');
}
