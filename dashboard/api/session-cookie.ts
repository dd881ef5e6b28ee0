// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent with cross-site posts; links
// from elsewhere still open the dashboard logged in), Secure when the page is served over TLS, directly or
// behind a TLS proxy that fastify trusts (http.trustProxy), or always with http.secureCookies: always.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'cobrew_session';

export type SecureCookies = 'auto' | 'always';

export function isSecure(req: FastifyRequest, policy: SecureCookies): boolean {
  return policy === 'always' || req.protocol === 'https';
}

export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  policy: SecureCookies,
  session: { id: string; expiresAt: number },
): void {
  reply.setCookie(SESSION_COOKIE, session.id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(req, policy),
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, policy: SecureCookies): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(req, policy),
  });
}
