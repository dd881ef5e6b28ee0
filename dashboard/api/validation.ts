// How the API checks its inputs against the routes' JSON Schemas. Bodies are checked as strictly as MQTT
// payloads and cobrew.yaml (common/schema-check.ts: no type coercion, unknown keys refused, every
// problem named). Query strings and path parameters arrive as text, so their numbers are coerced first.
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { InvalidInputError, schemaChecker } from '../../common/schema-check.js';
import { InvalidRequestError } from './errors.js';

const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: true, strict: false });

const PART_NAMES: Record<string, string> = {
  body: 'The request body',
  querystring: 'The query string',
  params: 'The path',
  headers: 'The request headers',
};

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const what = PART_NAMES[httpPart ?? 'body'] ?? 'The request';
  if (httpPart === 'body') {
    const check = schemaChecker(schema, what);
    return (data: unknown) => {
      try {
        return { value: check(data) };
      } catch (err) {
        if (err instanceof InvalidInputError) return { error: new InvalidRequestError(err.message) };
        throw err;
      }
    };
  }
  // Compiled at the route's first request, like the bodies' checks: most routes are never called in a run.
  let validate: ReturnType<typeof coercing.compile> | undefined;
  return (data: unknown) => {
    validate ??= coercing.compile(schema);
    return validate(data)
      ? { value: data }
      : { error: new InvalidRequestError(`${what} is invalid:\n${describe(validate.errors ?? [])}`) };
  };
};

function describe(errors: ErrorObject[]): string {
  const lines = errors.map((e) => {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const key = [...e.instancePath.split('/').slice(1), missing ?? extra].filter(Boolean).join('.');
    const problem = extra !== undefined ? 'unknown parameter; remove it or check its spelling' : e.message;
    return `  - ${key || '(top level)'}: ${problem}`;
  });
  return [...new Set(lines)].join('\n');
}
