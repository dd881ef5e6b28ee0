// GET /api/audit: who sent which command to which fermenter, when, and how it ended.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { AuditEntry, AuditLog } from '../accounts/audit.js';
import { AuditListSchema, AuditQuerySchema } from './schemas.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, opts) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log of fermenter commands, newest first',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const { fermenter, from, to, limit } = req.query;
      const entries: AuditEntry[] = opts.audit.query({ fermenterId: fermenter, from, to, limit });
      return { entries };
    },
  );
};
