// The global access check (contract A). Every /api/* route needs a logged-in session unless its options say
// config: { public: true }; it needs config.minRole or better (default viewer for GET and HEAD, member for
// the rest); and a state-changing request needs the session's CSRF token in x-csrf-token. Other paths
// (pages, /docs, static files) are public, but learn who is asking too.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { RequestUser } from '../../common/http-access.js';
import { roleAtLeast } from '../../common/roles.js';
import type { Accounts } from '../accounts/index.js';
import { csrfTokenMatches } from '../accounts/sessions.js';
import type { User } from '../accounts/users.js';
import { CsrfError, ForbiddenError, NotLoggedInError, NoUsersError } from './errors.js';
import {
  clearSessionCookie,
  SESSION_COOKIE,
  type SecureCookies,
  setSessionCookie,
} from './session-cookie.js';

export interface ActiveSession {
  /** The cookie's value. */
  id: string;
  user: User;
  csrfToken: string;
  expiresAt: number;
}

// The request's user and the routes' public and minRole options: common/http-access.ts.
declare module 'fastify' {
  interface FastifyRequest {
    session: ActiveSession | null;
  }
}

export interface AuthOptions {
  accounts: Accounts;
  secureCookies: SecureCookies;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const auth: FastifyPluginAsync<AuthOptions> = async (app, { accounts, secureCookies }) => {
  app.decorateRequest<RequestUser | null>('user', null);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (req, reply) => {
    const id = req.cookies[SESSION_COOKIE];
    if (id !== undefined && id !== '') {
      const found = accounts.sessions.lookup(id);
      if (found === null) {
        clearSessionCookie(req, reply, secureCookies);
      } else {
        req.session = { id, user: found.user, csrfToken: found.csrfToken, expiresAt: found.expiresAt };
        req.user = found.user;
        if (found.renewed) setSessionCookie(req, reply, secureCookies, req.session);
      }
    }

    // The route's own pattern too: the router decodes %-escapes, so /%61pi/… reaches /api/… routes.
    const underApi = req.url.startsWith('/api/') || (req.routeOptions.url ?? '').startsWith('/api/');
    if (!underApi || req.routeOptions.config.public === true) return;
    const session = req.session;
    if (session === null) throw accounts.users.count() === 0 ? new NoUsersError() : new NotLoggedInError();
    const changes = !SAFE_METHODS.has(req.method);
    const token = req.headers['x-csrf-token'];
    if (changes && !csrfTokenMatches(typeof token === 'string' ? token : undefined, session.csrfToken)) {
      throw new CsrfError();
    }
    const minRole = req.routeOptions.config.minRole ?? (changes ? 'member' : 'viewer');
    if (!roleAtLeast(session.user.role, minRole)) throw new ForbiddenError(minRole, session.user.role);
  });
};

/** Registered at the top level, so its hook covers every route, the plugins' included. */
export const authHook = fp(auth, { name: 'cobrew-auth', dependencies: ['@fastify/cookie'] });
