// Who is asking, as the commons sees them: the user the dashboard's access check puts on the request
// (common/http-access.ts), an admin by role.
import type { FastifyRequest } from 'fastify';
import type { RequestUser } from '../../common/http-access.js';
import { LoginRequiredError } from '../commons/errors.js';
import type { Viewer } from '../commons/types.js';

/** Who is asking; null without a session. */
export function viewerOf(req: FastifyRequest): Viewer | null {
  const user: RequestUser | null = req.user;
  return user ? { name: user.name, admin: user.role === 'admin' } : null;
}

/** Writes need someone to credit (the access check already asked for a session; this is for the types). */
export function author(req: FastifyRequest): Viewer {
  const viewer = viewerOf(req);
  if (viewer === null) throw new LoginRequiredError();
  return viewer;
}
