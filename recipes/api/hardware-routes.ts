// Hardware in the commons, under /api/hardware: board profiles and reference-board documents, their
// licences, sharing one (a member), a new version (its owner or an admin). Each version is credited in the
// ledger as a `hardware` contribution.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import { HARDWARE_LICENCES } from '../commons/hardware-licences.js';
import type { CommonsStore } from '../commons/store.js';
import {
  HardwareLicenceListSchema,
  HardwareListSchema,
  HardwareParamsSchema,
  HardwareQuerySchema,
  HardwareSchema,
  NewHardwareSchema,
  NewHardwareVersionSchema,
} from './hardware-schemas.js';
import { author } from './viewer.js';

export const hardwareRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['hardware'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Board profiles and reference-board documents shared in the commons, oldest first',
        querystring: HardwareQuerySchema,
        response: { 200: HardwareListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => ({ hardware: store.hardware.list(req.query.kind) }),
  );

  app.get(
    '/licences',
    {
      schema: {
        tags,
        summary: 'The open hardware licences, and which a derived contribution may take',
        response: { 200: HardwareLicenceListSchema, ...errorResponses(401) },
      },
    },
    async () => ({ licences: HARDWARE_LICENCES.map((l) => ({ ...l, derived: [...l.derived] })) }),
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Shares a board profile or a reference-board document; you own it',
        description:
          'A board profile is checked as cobrew.yaml checks board.custom, so a space that uses it ' +
          '(board.custom.fromCommons) gets the same rating checks.',
        body: NewHardwareSchema,
        response: { 201: HardwareSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const created = store.hardware.create(req.body, author(req));
      reply.code(201);
      return created;
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A hardware contribution with its versions, authors and what it was derived from',
        params: HardwareParamsSchema,
        response: { 200: HardwareSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => store.hardware.get(req.params.id),
  );

  app.post(
    '/:id/versions',
    {
      schema: {
        tags,
        summary: 'A new version, saying what changed (its owner or an admin)',
        params: HardwareParamsSchema,
        body: NewHardwareVersionSchema,
        response: { 201: HardwareSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const updated = store.hardware.addVersion(req.params.id, req.body, author(req));
      reply.code(201);
      return updated;
    },
  );
};
