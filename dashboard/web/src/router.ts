// Routes live in the URL's hash, so any page can be reloaded or bookmarked without the server knowing them.
import { signal } from '@preact/signals';

export type Route =
  | { page: 'overview' }
  | { page: 'detail'; id: string }
  | { page: 'profile'; id: string }
  /** The steps still to come of the running profile. */
  | { page: 'next-steps'; id: string }
  | { page: 'incidents' }
  | { page: 'alerts' }
  | { page: 'hydrometers' }
  /** The recipe commons; pages/recipes/routes.ts reads the rest of the path. */
  | { page: 'commons'; parts: string[] };

const COMMONS_ROOTS = ['recipes', 'brewlogs', 'contributors', 'ledger', 'hardware'];

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts[0] === 'incidents' && parts.length === 1) return { page: 'incidents' };
  if (parts[0] === 'alerts' && parts.length === 1) return { page: 'alerts' };
  if (parts[0] === 'hydrometers' && parts.length === 1) return { page: 'hydrometers' };
  if (parts[0] !== undefined && COMMONS_ROOTS.includes(parts[0])) return { page: 'commons', parts };
  if (parts[0] === 'fermenters' && parts[1] !== undefined) {
    if (parts.length === 2) return { page: 'detail', id: parts[1] };
    if (parts.length === 3 && parts[2] === 'profile') return { page: 'profile', id: parts[1] };
    if (parts.length === 3 && parts[2] === 'next-steps') return { page: 'next-steps', id: parts[1] };
  }
  return { page: 'overview' };
}

export const href = {
  overview: () => '#/',
  detail: (id: string) => `#/fermenters/${encodeURIComponent(id)}`,
  profile: (id: string) => `#/fermenters/${encodeURIComponent(id)}/profile`,
  nextSteps: (id: string) => `#/fermenters/${encodeURIComponent(id)}/next-steps`,
  incidents: () => '#/incidents',
  alerts: () => '#/alerts',
  hydrometers: () => '#/hydrometers',
};

export const route = signal<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => {
  route.value = parseRoute(location.hash);
});
