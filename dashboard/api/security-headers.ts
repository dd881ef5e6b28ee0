// Security headers on every answer (pages, API, static files): a Content-Security-Policy the front-end and
// the status page fit in (scripts and styles from this origin only, the status page's one inline style by its
// hash), no framing by any page (clickjacking the controls), nosniff and no Referer sent elsewhere.
// @fastify/helmet sets them; /docs (Swagger UI) keeps the policy its own plugin sends.
import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The CSP source that allows exactly this inline <style> text. */
export const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

export function registerSecurityHeaders(app: FastifyInstance, inlineStyles: readonly string[]): void {
  app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", ...inlineStyles.map(styleHash)],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // The dashboard is plain HTTP on a LAN unless a proxy adds TLS: HSTS belongs to that proxy.
    strictTransportSecurity: false,
    // The front-end loads nothing from other origins; these would only get in the way of /docs.
    crossOriginEmbedderPolicy: false,
  });
}
