// The HTTP side of the dashboard: the status page, its refreshable fragment, a JSON API and a health check.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { IspindelValueError, readingFromHttp } from '../broker/ispindel.js';
import { type IspindelRouter, IspindelUnmappedError } from '../broker/ispindel-listener.js';
import { InvalidInputError } from '../firmware-bridge/schema-check.js';
import { FermenterListSchema, HealthSchema, IspindelAcceptedSchema } from './api-schema.js';
import { HttpPortInUseError } from './errors.js';
import { listFermenters, type StateLookup } from './fermenter-list.js';
import { pickLocale } from './i18n.js';
import { renderFermenterList, renderStatusPage } from './pages/status.js';
import { STATUS_SCRIPT } from './pages/status-script.js';

export interface DashboardOptions {
  /** The fermenters this installation runs, listed even before their first state arrives. */
  fermenters: ReadonlyArray<{ id: string; name: string }>;
  states: StateLookup;
  mqttConnected: () => boolean;
  /** Shown on the page: which broker the states come through. */
  broker: BrokerShown;
  /** Where iSpindels' HTTP posts go, and the fermenters' clock to stamp them with. */
  ispindels: { router: IspindelRouter; now: () => number };
  log: FastifyBaseLogger;
}

export interface BrokerShown {
  kind: 'embedded' | 'external';
  /** Without credentials. */
  url: string;
}

interface LangQuery {
  Querystring: { lang?: string };
}

/** The page polls every two seconds: a line per request would drown everything else. Failures still show. */
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

export function buildDashboard(opts: DashboardOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: opts.log, logController: new QuietRequests() });
  const list = () => listFermenters(opts.fermenters, opts.states);
  const pageHeaders = (reply: FastifyReply) => {
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('cache-control', 'no-store');
    reply.header('vary', 'Accept-Language');
  };

  app.get<LangQuery>('/', async (req, reply) => {
    pageHeaders(reply);
    return renderStatusPage(pickLocale(req.query.lang, req.headers['accept-language']), list(), opts.broker);
  });

  app.get<LangQuery>('/fragments/fermenters', async (req, reply) => {
    pageHeaders(reply);
    return renderFermenterList(pickLocale(req.query.lang, req.headers['accept-language']), list()).value;
  });

  app.get('/assets/status.js', async (_req, reply) => {
    reply.header('content-type', 'text/javascript; charset=utf-8');
    return STATUS_SCRIPT;
  });

  app.get('/api/fermenters', { schema: { response: { 200: FermenterListSchema } } }, async () => ({
    fermenters: list(),
  }));

  // iSpindel's "HTTP" service posts its JSON here. A refused post answers with the reason, so that it shows
  // in the iSpindel's serial log as well as in cobrew's.
  app.post('/api/ispindel', { schema: { response: { 200: IspindelAcceptedSchema } } }, async (req, reply) => {
    const name = (req.body as { name?: unknown } | null)?.name;
    try {
      const reading = readingFromHttp(req.body, opts.ispindels.now());
      const fermenter = opts.ispindels.router.deliver(reading, 'http');
      return { status: 'ok', fermenter, gravity: reading.gravity ?? null } as const;
    } catch (err) {
      if (err instanceof IspindelUnmappedError) return refuse(reply, 404, err);
      if (err instanceof InvalidInputError || err instanceof IspindelValueError) {
        req.log.warn({ ispindel: name, reason: err.message }, 'refused an iSpindel post');
        return refuse(reply, 400, err);
      }
      throw err;
    }
  });

  app.get(
    '/healthz',
    { schema: { response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_req, reply) => {
      const connected = opts.mqttConnected();
      reply.code(connected ? 200 : 503);
      return {
        status: connected ? 'ok' : 'degraded',
        mqtt: connected ? 'connected' : 'disconnected',
      } as const;
    },
  );

  return app;
}

function refuse(reply: FastifyReply, statusCode: 400 | 404, err: Error & { code: string }) {
  const error = statusCode === 400 ? 'Bad Request' : 'Not Found';
  return reply.code(statusCode).send({ statusCode, code: err.code, error, message: err.message });
}

/** Listens and returns the port actually bound (0 asks the system for a free one). */
export async function listenDashboard(app: FastifyInstance, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port, listenTextResolver: (address) => `status page listening at ${address}` });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new HttpPortInUseError(port, host, { cause: err });
    }
    throw err;
  }
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}
