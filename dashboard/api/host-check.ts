// DNS rebinding: a page on evil.example whose name is made to resolve to this machine would reach the
// dashboard from a LAN browser as same-origin. Every request must name this machine in its Host header: an
// IP address, localhost, the machine's own host name, or one listed in http.allowedHosts.

import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { HostRefusedError } from './errors.js';

export interface HostCheckOptions {
  /** Names besides IP addresses, localhost and this machine's host name (e.g. a reverse proxy's name). */
  allowedHosts: readonly string[];
}

/** The host part of a Host header, lower case, without port or IPv6 brackets. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return (colon === -1 ? h : h.slice(0, colon)).replace(/\.$/, '');
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  // HTTP/1.0 clients send none; a browser always does.
  if (header === undefined || header === '') return true;
  const host = hostOf(header);
  return isIP(host) !== 0 || allowed.has(host);
}

const check: FastifyPluginAsync<HostCheckOptions> = async (app, opts) => {
  const me = hostname().toLowerCase();
  const allowed = new Set([
    'localhost',
    me,
    `${me.split('.')[0]}.local`,
    ...opts.allowedHosts.map((h) => h.toLowerCase()),
  ]);
  app.addHook('onRequest', async (req) => {
    // fastify's req.host: the Host header, or X-Forwarded-Host from a trusted proxy (the name the browser used).
    const header: string | undefined = req.host;
    if (!hostAllowed(header, allowed)) throw new HostRefusedError(hostOf(header ?? ''));
  });
};

/** Registered at the top level, before the access check, so that it covers every route and static file. */
export const hostCheck = fp(check, { name: 'cobrew-host-check' });
