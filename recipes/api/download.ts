// Answers that a browser saves as a file rather than shows.
import type { FastifyReply } from 'fastify';

export function download(reply: FastifyReply, type: string, name: string): void {
  reply.header('content-type', type);
  reply.header('content-disposition', `attachment; filename="${name}"`);
}
