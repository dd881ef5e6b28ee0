// The alerts in the dashboard: every alert with its deliveries, acknowledgement (from the page, or by the
// signed one-click link of a message), each person's own channels and quiet hours (secrets shown masked),
// the duty rota and the space's default channels (both edited by admins) and test messages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { AlertUnknownError, RotaUserUnknownError } from '../../alerts/errors.js';
import {
  type AlertRecord,
  type AlertRouter,
  type AlertStore,
  CHANNEL_KINDS,
  ContactSchema,
  checkAckToken,
  maskContact,
  mergeSecrets,
  RotaSlotSchema,
  SPACE,
  SpaceDefaultsSchema,
} from '../../alerts/index.js';
import { errorResponses } from '../../common/error-schema.js';
import { schemaChecker } from '../../common/schema-check.js';

export interface AlertRoutesOptions {
  router: AlertRouter;
  store: AlertStore;
  now: () => number;
  /** Every dashboard user's name: who the rota may name. */
  people: () => string[];
}

const checkContact = schemaChecker(ContactSchema, 'the alert settings');
const checkDefaults = schemaChecker(SpaceDefaultsSchema, "the space's default channels");

const DeliverySchema = T.Object({
  user: T.String(),
  channel: T.String(),
  purpose: T.String({ description: 'raise, escalate, resolve or test' }),
  status: T.String({ description: 'pending, sent, failed or cancelled' }),
  attempts: T.Integer(),
  lastError: T.Union([T.String(), T.Null()]),
  sentAt: T.Union([T.Number(), T.Null()]),
});
const AlertSchema = T.Object({
  id: T.String(),
  kind: T.String(),
  severity: T.String(),
  fermenterId: T.Union([T.String(), T.Null()]),
  status: T.String({ description: 'open, clearing (back to normal, waiting groupSeconds) or resolved' }),
  raisedAt: T.Number(),
  resolvedAt: T.Union([T.Number(), T.Null()]),
  flaps: T.Integer(),
  level: T.Integer({ description: '0: owner and duty; 1: next on the rota; 2: admins' }),
  told: T.Array(T.String()),
  ackedBy: T.Union([T.String(), T.Null()]),
  ackedAt: T.Union([T.Number(), T.Null()]),
  ackedVia: T.Union([T.String(), T.Null()]),
  facts: T.Record(T.String(), T.Unknown()),
  deliveries: T.Array(DeliverySchema),
});
const RotaSchema = T.Object({ rota: T.Array(RotaSlotSchema, { maxItems: 500 }) });
const TestBodySchema = T.Object({ channel: T.Optional(T.Union(CHANNEL_KINDS.map((c) => T.Literal(c)))) });

export const alertRoutes: FastifyPluginAsyncTypebox<AlertRoutesOptions> = async (app, opts) => {
  const shown = (a: AlertRecord) => ({
    ...a,
    facts: a.facts as Record<string, unknown>,
    deliveries: opts.store.deliveriesOf(a.id).map((d) => ({
      user: d.user,
      channel: d.channel,
      purpose: d.purpose,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      sentAt: d.sentAt,
    })),
  });

  app.get(
    '/api/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first, with their deliveries, acknowledgement and escalation',
        querystring: T.Object({ limit: T.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: T.Object({ alerts: T.Array(AlertSchema) }), ...errorResponses(400, 401) },
      },
    },
    async (req) => ({ alerts: opts.store.recent(req.query.limit).map(shown) }),
  );

  app.post(
    '/api/alerts/:id/ack',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert: its escalation stops; recorded in the audit log',
        params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: AlertSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const acked = opts.router.acknowledge(req.params.id, req.user?.name ?? '', 'dashboard');
      if (acked === null) throw new AlertUnknownError(req.params.id);
      return shown(acked);
    },
  );

  app.get(
    '/api/alerts/ack',
    {
      config: { public: true },
      schema: {
        tags: ['alerts'],
        summary: 'The one-click acknowledgement link of a message (signed, for one person, expiring)',
        querystring: T.Object({ t: T.String({ minLength: 1, maxLength: 1000 }) }),
        response: { 200: T.String(), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const claim = checkAckToken(opts.store.ackSecret(), req.query.t, opts.now());
      const acked = opts.router.acknowledge(claim.alertId, claim.user, 'link');
      if (acked === null) throw new AlertUnknownError(claim.alertId);
      const who = escapeHtml(acked.ackedBy ?? claim.user);
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>cobrew</title><p>✓ Acquitté par ${who} · Acknowledged by ${who}</p><p><a href="../../#/alerts">cobrew</a></p>`;
    },
  );

  app.get(
    '/api/alerts/contact',
    {
      schema: {
        tags: ['alerts'],
        summary: 'My alert settings: language, quiet hours, channels (secrets masked)',
        response: { 200: ContactSchema, ...errorResponses(401) },
      },
    },
    async (req) => maskContact(opts.store.contact(req.user?.name ?? '')),
  );

  app.put(
    '/api/alerts/contact',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['alerts'],
        summary: 'Set my alert settings; a secret sent back masked (…abcd) keeps the stored one',
        body: T.Unknown(),
        response: { 200: ContactSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const user = req.user?.name ?? '';
      const contact = checkContact(
        mergeSecrets(structuredClone(req.body) as never, opts.store.contact(user)),
      );
      opts.store.saveContact(user, contact);
      return maskContact(contact);
    },
  );

  app.get(
    '/api/alerts/rota',
    {
      schema: {
        tags: ['alerts'],
        summary: 'The duty rota: who is on duty when, weekly; and who it may name',
        response: {
          200: T.Object({ ...RotaSchema.properties, people: T.Array(T.String()) }),
          ...errorResponses(401),
        },
      },
    },
    async () => ({ rota: opts.router.rota(), people: opts.people() }),
  );

  app.put(
    '/api/alerts/rota',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: "Replace the duty rota (admins); from then on it takes over cobrew.yaml's",
        body: RotaSchema,
        response: { 200: RotaSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const people = new Set(opts.people());
      const unknown = req.body.rota.find((slot) => !people.has(slot.user));
      if (unknown !== undefined) throw new RotaUserUnknownError(unknown.user);
      opts.store.saveRota(req.body.rota);
      return { rota: opts.router.rota() };
    },
  );

  app.get(
    '/api/alerts/defaults',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: "The space's default channels (admins; secrets masked)",
        response: { 200: SpaceDefaultsSchema, ...errorResponses(401, 403) },
      },
    },
    async () => maskContact(opts.router.defaults()),
  );

  app.put(
    '/api/alerts/defaults',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['alerts'],
        summary:
          "Set the space's default channels (admins): for people with none, and every alert to the admins; " +
          "a secret sent back masked keeps the stored one; from then on they take over cobrew.yaml's",
        body: T.Unknown(),
        response: { 200: SpaceDefaultsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const defaults = checkDefaults(
        mergeSecrets(structuredClone(req.body) as never, opts.router.defaults()),
      );
      opts.store.saveDefaults(defaults);
      return maskContact(defaults);
    },
  );

  app.post(
    '/api/alerts/defaults/test',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: "Send a test alert on the space's default channels (admins)",
        body: TestBodySchema,
        response: { 202: AlertSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const { alert } = opts.router.test(SPACE, req.body.channel);
      reply.code(202);
      return shown(alert);
    },
  );

  app.post(
    '/api/alerts/test',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['alerts'],
        summary: 'Send me a test alert, on one channel or all of mine',
        body: TestBodySchema,
        response: { 202: AlertSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const user = req.user?.name ?? '';
      const { alert } = opts.router.test(user, req.body.channel);
      reply.code(202);
      return shown(alert);
    },
  );
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
