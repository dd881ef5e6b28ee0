// Request body limits above fastify's 1 MiB default, for the routes that take documents or bundles.

/** A recipe document may be up to 1 MB of JSON (recipes/commons/document.ts); leave room for the rest. */
export const DOCUMENT_BODY_LIMIT = 2 * 1024 * 1024;
/** A bundle holds a whole space's public recipes and logs. */
export const BUNDLE_BODY_LIMIT = 64 * 1024 * 1024;
