// The HTTP side of the dashboard: the API (dashboard/api/, behind the accounts' global access check), its
// OpenAPI document at /docs, the live feed, the front-end (dist/web once built; until then the status page),
// a health check and iSpindels' HTTP posts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { IspindelHttpSchema, IspindelValueError } from '../broker/ispindel.js';
import { IspindelAuthError, IspindelTokenError } from '../broker/ispindel-errors.js';
import { type IspindelRouter, IspindelUnmappedError } from '../broker/ispindel-listener.js';
import {
  readingFromTiltBridge,
  TiltAuthError,
  TiltBridgeSchema,
  type TiltRouter,
  TiltUnmappedError,
  TiltValueError,
} from '../broker/tilt.js';
import { errorResponses } from '../common/error-schema.js';
import { roleAtLeast } from '../common/roles.js';
import { sameSecret } from '../common/same-secret.js';
import type { HistoryQueries } from '../history/queries.js';
import { historyRoutes } from '../history/routes.js';
import { commonsApi } from '../recipes/api/plugin.js';
import type { CommonsStore } from '../recipes/commons/store.js';
import type { Accounts } from './accounts/index.js';
import { csrfTokenMatches } from './accounts/sessions.js';
import { type AlertRoutesOptions, alertRoutes } from './api/alert-routes.js';
import { auditRoutes } from './api/audit-routes.js';
import { authHook } from './api/auth-hook.js';
import { authRoutes } from './api/auth-routes.js';
import { batchControl } from './api/batch-control.js';
import { batchEnergy, type FermenterLoads } from './api/batch-energy.js';
import { type CalibrationRoutesOptions, calibrationRoutes } from './api/calibration-routes.js';
import type { CommandSender } from './api/command-sender.js';
import { errorBody, installErrorHandling } from './api/error-handler.js';
import { NotLoggedInError } from './api/errors.js';
import { fermenterRoutes } from './api/fermenter-routes.js';
import { hostCheck } from './api/host-check.js';
import { installJsonBody } from './api/json-body.js';
import { liveRoutes } from './api/live-routes.js';
import { registerOpenApi } from './api/openapi.js';
import { registerSecurityHeaders } from './api/security-headers.js';
import { lazySerializers } from './api/serialization.js';
import type { SecureCookies } from './api/session-cookie.js';
import { validatorCompiler } from './api/validation.js';
import { HealthSchema, IspindelAcceptedSchema } from './api-schema.js';
import { HttpPortInUseError } from './errors.js';
import { listFermenters, type StateLookup } from './fermenter-list.js';
import { pickLocale } from './i18n.js';
import { renderFermenterList, renderStatusPage, STYLE } from './pages/status.js';
import { STATUS_SCRIPT } from './pages/status-script.js';
import type { StateFeed } from './state-feed.js';

export interface DashboardOptions {
  /** The fermenters this installation runs, listed even before their first state arrives. */
  fermenters: ReadonlyArray<{ id: string; name: string } & FermenterLoads>;
  states: StateLookup;
  /** Live events heard on MQTT, for GET /api/live. */
  feed: Pick<StateFeed, 'subscribe'>;
  mqttConnected: () => boolean;
  /** Shown on the page: which broker the states come through. */
  broker: BrokerShown;
  /**
   * Where iSpindels' HTTP posts go, and the fermenters' clock to stamp them with. A post must carry the
   * iSpindel's configured token where one is set, or come from a logged-in brewer or admin.
   */
  ispindels: { router: IspindelRouter; now: () => number };
  /**
   * Where TiltBridge posts go (none: no Tilt route). A post carries its Tilt's token where one is set, or
   * comes from a logged-in brewer or admin.
   */
  tilts?: {
    router: TiltRouter;
    now: () => number;
    /** A mapped Tilt's settings (its token, if set); undefined for a colour not mapped. */
    mappingOf: (colour: string) => { token?: string } | undefined;
  };
  accounts: Accounts;
  commands: CommandSender;
  /** The alerts' router and store; their routes are absent when alerts are off. */
  alerts?: AlertRoutesOptions;
  /** Hydrometer calibrations set from the dashboard; their routes are absent without. */
  calibrations?: CalibrationRoutesOptions;
  /** The brew history's queries; its routes are absent when history is off. */
  history?: HistoryQueries;
  http: {
    /** fastify's trustProxy: which proxies' X-Forwarded-For/-Proto to believe. */
    trustProxy: boolean | string[];
    secureCookies: SecureCookies;
    /** Names the dashboard answers for besides IP addresses, localhost and this machine's name. */
    allowedHosts?: readonly string[];
    /** /status without logging in (a kiosk screen); off by default. */
    publicStatus?: boolean;
  };
  /** The built front-end (index.html and its assets); null serves the status page at / instead. */
  webRoot: string | null;
  /** How often the live feed sends a keep-alive comment; 15 s by default. */
  livePingMs?: number;
  /** The recipe commons (recipes/api); its routes are left out when absent. */
  commons?: CommonsStore;
  log: FastifyBaseLogger;
}

export interface BrokerShown {
  kind: 'embedded' | 'mosquitto' | 'external';
  /** Without credentials. */
  url: string;
}

interface LangQuery {
  Querystring: { lang?: string };
}

/** Pages poll and the live feed streams: a line per request would drown everything else. Failures still show. */
class QuietRequests extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) super.requestCompleted(error, request, reply);
  }
}

/** dist/web of this package when the front-end has been built, otherwise null. */
export function builtWebRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : null;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function buildDashboard(opts: DashboardOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.log,
    logController: new QuietRequests(),
    trustProxy: opts.http.trustProxy,
    // Browsers hold keep-alive connections and live streams open; a stopping cobrew does not wait for them.
    forceCloseConnections: true,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  installJsonBody(app);
  app.register(hostCheck, { allowedHosts: opts.http.allowedHosts ?? [] });
  registerSecurityHeaders(app, [STYLE]);
  registerOpenApi(app);
  app.register(cookie);
  app.register(authHook, { accounts: opts.accounts, secureCookies: opts.http.secureCookies });

  const { fermenters, states } = opts;
  app.register(authRoutes, { accounts: opts.accounts, secureCookies: opts.http.secureCookies });
  const commandPath = { commands: opts.commands, audit: opts.accounts.audit, batches: opts.commons?.batches };
  app.register(fermenterRoutes, { fermenters, states, ...commandPath });
  app.register(liveRoutes, {
    fermenters,
    states,
    feed: opts.feed,
    audit: opts.accounts.audit,
    pingMs: opts.livePingMs,
  });
  app.register(auditRoutes, { audit: opts.accounts.audit });
  if (opts.history !== undefined) app.register(historyRoutes, { history: opts.history });
  if (opts.alerts !== undefined) app.register(alertRoutes, opts.alerts);
  if (opts.calibrations !== undefined) app.register(calibrationRoutes, opts.calibrations);
  if (opts.commons !== undefined) {
    app.register(commonsApi, {
      store: opts.commons,
      control: batchControl(fermenters, commandPath),
      ...(opts.history === undefined ? {} : { energy: batchEnergy(opts.history, fermenters) }),
    });
  }

  // The front-end takes / over once built (dist/web); the status page stays at /status either way.
  if (opts.webRoot !== null) app.register(fastifyStatic, { root: opts.webRoot });
  app.register(statusPage, opts);

  app.register(deviceRoutes, opts);
  return app;
}

/** Routes for machines: iSpindels' posts and the health check. */
async function deviceRoutes(parent: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  // iSpindel's "HTTP" service posts its JSON here, without a session. A refused post answers with the
  // reason, so that it shows in the iSpindel's serial log as well as in cobrew's.
  app.post(
    '/api/ispindel',
    {
      config: { public: true },
      // Bad posts are refused by the handler, which logs them.
      attachValidation: true,
      schema: {
        tags: ['iSpindel'],
        summary: "An iSpindel's reading (its Generic HTTP service)",
        body: IspindelHttpSchema,
        response: { 200: IspindelAcceptedSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      try {
        if (req.validationError !== undefined) throw req.validationError;
        const { fermenter, gravity } = opts.ispindels.router.acceptHttp(
          req.body,
          opts.ispindels.now(),
          brewerSignedIn(req),
        );
        return { status: 'ok', fermenter, gravity } as const;
      } catch (err) {
        if (err instanceof IspindelUnmappedError) return refuse(reply, 404, err);
        if (err instanceof IspindelTokenError) return refuse(reply, 403, err);
        if (err instanceof IspindelAuthError) {
          req.log.warn({ ispindel: (req.body as { name?: unknown } | null)?.name }, err.message);
          return refuse(reply, 401, err);
        }
        const refused = err as { code?: unknown; message: string };
        if (refused.code === 'COBREW_ERR_INVALID' || err instanceof IspindelValueError) {
          const name = (req.body as { name?: unknown } | null)?.name;
          // Only a prefix of whatever name was sent: the log must not take in a huge value.
          const ispindel = typeof name === 'string' ? name.slice(0, 64) : undefined;
          req.log.warn({ ispindel, reason: refused.message }, 'refused an iSpindel post');
          return refuse(reply, 400, { code: String(refused.code), message: refused.message });
        }
        throw err;
      }
    },
  );

  const tilts = opts.tilts;
  if (tilts !== undefined) {
    // A TiltBridge's per-Tilt JSON ({"color","temp","tempUnit","gravity",…}), without a session, as iSpindels.
    app.post(
      '/api/tilt',
      {
        config: { public: true },
        attachValidation: true,
        schema: {
          tags: ['Tilt'],
          summary: "A Tilt's reading, as a TiltBridge posts it",
          body: TiltBridgeSchema,
          querystring: T.Object({ token: T.Optional(T.String({ maxLength: 256 })) }),
          response: { 200: IspindelAcceptedSchema, ...errorResponses(400, 401, 404) },
        },
      },
      async (req, reply) => {
        try {
          if (req.validationError !== undefined) throw req.validationError;
          const reading = readingFromTiltBridge(req.body);
          const mapping = tilts.mappingOf(reading.colour);
          const given = (req.query as { token?: string } | undefined)?.token ?? '';
          // As for iSpindels: the Tilt's token where one is set, otherwise a logged-in brewer.
          const allowed =
            mapping === undefined ||
            (mapping.token === undefined ? brewerSignedIn(req) : sameSecret(given, mapping.token));
          if (!allowed) throw new TiltAuthError(reading.colour);
          const { fermenter, gravity } = tilts.router.deliver(reading, tilts.now(), 'http');
          return { status: 'ok', fermenter, gravity } as const;
        } catch (err) {
          if (err instanceof TiltUnmappedError) return refuse(reply, 404, err);
          if (err instanceof TiltAuthError) {
            req.log.warn({ reason: err.message }, 'refused a Tilt post');
            return refuse(reply, 401, err);
          }
          const refused = err as { code?: unknown; message: string };
          if (refused.code === 'COBREW_ERR_INVALID' || err instanceof TiltValueError) {
            req.log.warn({ reason: refused.message }, 'refused a Tilt post');
            return refuse(reply, 400, { code: String(refused.code), message: refused.message });
          }
          throw err;
        }
      },
    );
  }

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Whether the dashboard hears the MQTT broker',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (_req, reply) => {
      const connected = opts.mqttConnected();
      reply.code(connected ? 200 : 503);
      return {
        status: connected ? 'ok' : 'degraded',
        mqtt: connected ? 'connected' : 'disconnected',
      } as const;
    },
  );
}

/** The server-rendered status page (also at / until the front-end is built), its fragment and script. */
async function statusPage(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const list = () => listFermenters(opts.fermenters, opts.states);
  const pageHeaders = (reply: FastifyReply) => {
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('cache-control', 'no-store');
    reply.header('vary', 'Accept-Language');
  };
  // Pages, not API: left out of the OpenAPI document.
  const page = {
    schema: {
      hide: true,
      querystring: T.Object({ lang: T.Optional(T.String({ description: 'fr or en' })) }),
      response: { 200: T.String({ description: 'HTML' }) },
    },
  };

  // Every fermenter's state is for people with an account, unless the space chose a kiosk screen.
  if (opts.http.publicStatus !== true) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.user !== null) return;
      const err = new NotLoggedInError();
      reply.code(401).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store');
      return reply.send(
        `${err.message}.\nThe status page is for logged-in users: log in at / first, or set ` +
          'http.publicStatus: true in cobrew.yaml for a kiosk screen.\n',
      );
    });
  }
  for (const path of opts.webRoot === null ? ['/', '/status'] : ['/status']) {
    app.get<LangQuery>(path, page, async (req, reply) => {
      pageHeaders(reply);
      return renderStatusPage(
        pickLocale(req.query.lang, req.headers['accept-language']),
        list(),
        opts.broker,
      );
    });
  }

  app.get<LangQuery>('/fragments/fermenters', page, async (req, reply) => {
    pageHeaders(reply);
    return renderFermenterList(pickLocale(req.query.lang, req.headers['accept-language']), list()).value;
  });

  app.get(
    '/assets/status.js',
    { schema: { hide: true, response: { 200: T.String() } } },
    async (_req, reply) => {
      reply.header('content-type', 'text/javascript; charset=utf-8');
      return STATUS_SCRIPT;
    },
  );
}

/** A brewer's or admin's session with its CSRF token, as for any change made from a browser. */
function brewerSignedIn(req: FastifyRequest): boolean {
  const session = req.session;
  if (session === null || !roleAtLeast(session.user.role, 'brewer')) return false;
  const csrf = req.headers['x-csrf-token'];
  return csrfTokenMatches(typeof csrf === 'string' ? csrf : undefined, session.csrfToken);
}

function refuse(
  reply: FastifyReply,
  statusCode: 400 | 401 | 403 | 404,
  err: { code: string; message: string },
) {
  return reply.code(statusCode).send(errorBody(statusCode, err.code, err.message));
}

/** Listens and returns the port actually bound (0 asks the system for a free one). */
export async function listenDashboard(app: FastifyInstance, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port, listenTextResolver: (address) => `dashboard listening at ${address}` });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new HttpPortInUseError(port, host, { cause: err });
    }
    throw err;
  }
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}
