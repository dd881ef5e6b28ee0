// Who is signed in, and what their role lets the page offer. The server checks every request anyway;
// the page only hides what would be refused.
import { computed, signal } from '@preact/signals';
import { ApiError, api, type Me, type Role, setCsrfToken, type User } from './api.js';

export type Session = { status: 'loading' } | { status: 'out' } | { status: 'in'; user: User };

export const session = signal<Session>({ status: 'loading' });

const RANK: Record<Role, number> = { viewer: 0, member: 1, brewer: 2, admin: 3 };

/** Setpoints, modes, profiles and trips are for brewers and admins. */
export const canControl = computed(() => {
  const s = session.value;
  return s.status === 'in' && RANK[s.user.role] >= RANK.brewer;
});

/** Acknowledging an alert is for members and up. */
export const canAcknowledge = computed(() => {
  const s = session.value;
  return s.status === 'in' && RANK[s.user.role] >= RANK.member;
});

/** The duty rota and the space's default channels are the admins'. */
export const isAdmin = computed(() => {
  const s = session.value;
  return s.status === 'in' && s.user.role === 'admin';
});

/** The server's answer to GET /api/auth/me, or null once signed out. */
function adopt(me: Me | null): void {
  setCsrfToken(me === null ? null : me.csrfToken);
  session.value = me === null ? { status: 'out' } : { status: 'in', user: me.user };
}

export async function loadSession(): Promise<void> {
  try {
    adopt(await api.me());
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) adopt(null);
    else throw err;
  }
}

export async function login(name: string, password: string): Promise<void> {
  await api.login(name, password);
  // The token belongs to the new session: ask for it rather than trusting the login answer's shape.
  await loadSession();
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } finally {
    adopt(null);
  }
}

/** A request refused because the session ended elsewhere (expiry, logout in another tab) signs the page out. */
export function noticeSessionEnd(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) adopt(null);
}
