// What the dashboard's access check (dashboard/api/auth-hook.ts) reads from every route and puts on every
// request, declared here so that each area serving routes behind it (dashboard, recipes) reads them typed.
import type { Role } from './roles.js';

/** Who is asking. */
export interface RequestUser {
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a session (login, the iSpindel post). */
    public?: boolean;
    /** The weakest role allowed; viewer for GET and HEAD, member for the rest when absent. */
    minRole?: Role;
  }
  interface FastifyRequest {
    /** Who is asking; null without a live session. */
    user: RequestUser | null;
  }
}
