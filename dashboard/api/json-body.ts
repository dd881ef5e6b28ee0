// JSON bodies, parsed by fastify's own parser (prototype poisoning refused) once their nesting is known to
// be shallow: a body nested 10,000 deep would otherwise overflow the stack of the parser or the validator and
// answer 500 before any login. The scan is one pass over at most the body limit (1 MiB).
import type { FastifyInstance } from 'fastify';
import { nestsDeeperThan } from '../../common/json-depth.js';
import { JsonTooDeepError } from './errors.js';

/** Deeper than any body of the API needs (a recipe is about 6 levels deep). */
export const MAX_JSON_DEPTH = 64;

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(new JsonTooDeepError(String(MAX_JSON_DEPTH)), undefined);
      return;
    }
    parse(req, body as string, done);
  });
}
