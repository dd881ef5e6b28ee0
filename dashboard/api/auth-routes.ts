// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { Accounts } from '../accounts/index.js';
import { LoginFailedError, NoUsersError, TooManyLoginsError } from './errors.js';
import { LoginBodySchema, MeSchema } from './schemas.js';
import { clearSessionCookie, type SecureCookies, setSessionCookie } from './session-cookie.js';

export interface AuthRoutesOptions {
  accounts: Accounts;
  secureCookies: SecureCookies;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, opts) => {
  const { users, sessions, limiter } = opts.accounts;

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets the session cookie and returns the CSRF token',
        body: LoginBodySchema,
        response: { 200: MeSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const { name, password } = req.body;
      const waitMs = limiter.blockedForMs(req.ip, name);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new TooManyLoginsError(seconds);
      }
      if (users.count() === 0) throw new NoUsersError();
      const slowMs = limiter.slowdownMs(name);
      // Counted before the (slow) check, so that parallel guesses cannot all slip under the limit.
      limiter.failed(req.ip, name);
      if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
      const user = await users.verify(name, password);
      if (user === null) {
        req.log.warn({ user: name, address: req.ip }, 'refused a dashboard login');
        throw new LoginFailedError();
      }
      limiter.succeeded(req.ip, name);
      if (req.session !== null) sessions.destroy(req.session.id);
      const session = sessions.create(user);
      setSessionCookie(req, reply, opts.secureCookies, session);
      req.log.info({ user: user.name, role: user.role }, 'dashboard login');
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Log out: ends the session',
        response: { 204: { type: 'null', description: 'Logged out' }, ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      if (req.session !== null) sessions.destroy(req.session.id);
      clearSessionCookie(req, reply, opts.secureCookies);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is logged in, and the CSRF token of the session',
        description:
          '401 COBREW_ERR_NOT_LOGGED_IN without a session, or COBREW_ERR_NO_USERS (whose message says how ' +
          'to create the first admin) while no user exists.',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (req) => {
      // The hook let only requests with a session through.
      const session = req.session as NonNullable<typeof req.session>;
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );
};
