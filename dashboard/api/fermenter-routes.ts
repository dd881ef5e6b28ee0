// GET /api/fermenters, GET /api/fermenters/:id, POST /api/fermenters/:id/set.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseCommand } from '../../broker/commands.js';
import { errorResponses } from '../../common/error-schema.js';
import type { AuditLog } from '../accounts/audit.js';
import { FermenterListSchema, FermenterViewSchema } from '../api-schema.js';
import { listFermenters, type StateLookup } from '../fermenter-list.js';
import { applyCommand } from './apply-command.js';
import type { BatchHolders } from './batch-rights.js';
import type { CommandSender } from './command-sender.js';
import { UnknownFermenterError } from './errors.js';
import { FermenterParamsSchema, SetAnswerSchema, SetCommandSchema } from './schemas.js';

export interface FermenterRoutesOptions {
  /** The fermenters this installation runs, listed even before their first state arrives. */
  fermenters: ReadonlyArray<{ id: string; name: string }>;
  states: StateLookup;
  commands: CommandSender;
  audit: AuditLog;
  /** Who holds each fermenter (the commons' batches): only they and admins control it. */
  batches?: BatchHolders;
}

export const fermenterRoutes: FastifyPluginAsyncTypebox<FermenterRoutesOptions> = async (app, opts) => {
  const list = () => listFermenters(opts.fermenters, opts.states);
  const find = (id: string) => {
    const found = list().find((f) => f.id === id);
    if (found === undefined) throw new UnknownFermenterError(id);
    return found;
  };

  app.get(
    '/api/fermenters',
    {
      schema: {
        tags: ['fermenters'],
        summary: 'Every fermenter with its latest state and availability',
        response: { 200: FermenterListSchema, ...errorResponses(401) },
      },
    },
    async () => ({ fermenters: list() }),
  );

  app.get(
    '/api/fermenters/:id',
    {
      schema: {
        tags: ['fermenters'],
        summary: 'One fermenter with its latest state and availability',
        params: FermenterParamsSchema,
        response: { 200: FermenterViewSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => find(req.params.id),
  );

  app.post(
    '/api/fermenters/:id/set',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['fermenters'],
        summary: "Change a fermenter's mode, setpoint or profile, or clear its trips",
        description:
          'Sent to the bridge on <base>/fermenter/<id>/set; answers with its response. While a batch holds ' +
          'the fermenter, only its owner, co-brewers and admins may: 403 COBREW_ERR_NOT_YOUR_BATCH. 400 with the ' +
          "bridge's code and message when it refuses, 504 COBREW_ERR_BRIDGE_TIMEOUT when it does not answer. " +
          'Every command is written to the audit log and sent on the live feed.',
        params: FermenterParamsSchema,
        body: SetCommandSchema,
        response: { 200: SetAnswerSchema, ...errorResponses(400, 401, 403, 404, 503, 504) },
      },
    },
    async (req) => {
      const fermenterId = find(req.params.id).id;
      // The same rules as the bridge's (one command per request, steps only with start), before anything goes out.
      const command = parseCommand(JSON.stringify(req.body));
      const user = req.user as NonNullable<typeof req.user>;
      const transaction = await applyCommand(opts, user, fermenterId, command);
      req.log.info({ user: user.name, fermenter: fermenterId, command }, 'command applied');
      return { status: 'ok' as const, transaction };
    },
  );
};
