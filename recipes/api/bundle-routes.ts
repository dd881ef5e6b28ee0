// The commons bundle, at /api/commons/bundle: every public recipe and brew log as one file, out and in.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import { BundleSchema, exportBundle } from '../commons/bundle.js';
import { importBundle } from '../commons/bundle-import.js';
import type { CommonsStore } from '../commons/store.js';
import { BUNDLE_BODY_LIMIT } from './body-limits.js';
import { download } from './download.js';
import { ImportReportSchema } from './schemas.js';

export const bundleRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['recipes'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Every public recipe and brew log as one bundle file',
        response: { 200: BundleSchema, ...errorResponses(401) },
      },
    },
    async (_req, reply) => {
      const bundle = exportBundle(store);
      download(reply, 'application/json; charset=utf-8', 'cobrew-commons.json');
      return bundle;
    },
  );

  app.post(
    '',
    {
      bodyLimit: BUNDLE_BODY_LIMIT,
      config: { minRole: 'admin' },
      schema: {
        tags,
        summary: "Imports another space's bundle (admin); what is already here is skipped",
        body: BundleSchema,
        response: { 200: ImportReportSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req) => importBundle(store, req.body, { what: 'The uploaded bundle', ledger: true }),
  );
};
