// The one error shape of every HTTP answer that is not a success, shared by the dashboard, history and
// recipe routes.
import { Type as T } from '@sinclair/typebox';

/** The one error shape of every answer that is not a success. */
export const ErrorSchema = T.Object(
  {
    statusCode: T.Integer(),
    code: T.String({
      pattern: '^COBREW_ERR_[A-Z0-9_]+$',
      description: 'Stable; the front-end translates by it',
    }),
    error: T.String({ description: 'The HTTP status text' }),
    message: T.String({ description: 'What is wrong and what to do, in English' }),
  },
  { description: "fastify's error shape, with a typed code" },
);

/** Error answers a route may give, for its response schema. */
export function errorResponses(...codes: number[]) {
  return Object.fromEntries(codes.map((c) => [c, ErrorSchema]));
}
