// GET /api/live: Server-Sent Events (contract A). On connection, the latest state and availability of every
// fermenter; then each state, incident and availability the dashboard hears on MQTT and each audit entry as
// it is written; a comment every 15 s keeps proxies from closing a quiet stream.

import type { ServerResponse } from 'node:http';
import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { errorResponses } from '../../common/error-schema.js';
import type { AuditLog } from '../accounts/audit.js';
import { listFermenters, type StateLookup } from '../fermenter-list.js';
import type { FeedEvent } from '../state-feed.js';

export const PING_MS = 15_000;
/** A client this far behind is cut off rather than buffered without end; its browser reconnects. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface LiveRoutesOptions {
  fermenters: ReadonlyArray<{ id: string; name: string }>;
  states: StateLookup;
  feed: { subscribe(listener: (event: FeedEvent) => void): () => void };
  audit: AuditLog;
  pingMs?: number;
}

export const liveRoutes: FastifyPluginAsync<LiveRoutesOptions> = async (app, opts) => {
  const streams = new Set<ServerResponse>();
  // Open streams would otherwise hold the server's close until their clients go.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });

  app.get(
    '/api/live',
    {
      schema: {
        tags: ['live'],
        summary: 'Live feed (text/event-stream)',
        description:
          'Events: `state` (a FermenterState), `incident` (an Incident), `availability` ({fermenterId, ' +
          'online}), `audit` (an audit entry); a `: ping` comment every 15 s. The latest state and ' +
          'availability of every fermenter are sent first.',
        produces: ['text/event-stream'],
        response: { 200: T.String({ description: 'An endless event stream' }), ...errorResponses(401) },
      },
    },
    (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // The stream holds its connection to the end; then the connection goes too, so that a closing
        // server is not kept waiting by it.
        connection: 'close',
        // nginx would otherwise hold events back in its buffer.
        'x-accel-buffering': 'no',
      });
      streams.add(res);
      const send = (event: string, data: unknown) => {
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          req.log.warn({ user: req.user?.name }, 'live feed client too slow; closing its stream');
          res.destroy();
          return;
        }
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };

      res.write('retry: 2000\n\n');
      for (const f of listFermenters(opts.fermenters, opts.states)) {
        if (f.online !== null) send('availability', { fermenterId: f.id, online: f.online });
        if (f.state !== null) send('state', f.state);
      }
      const stopFeed = opts.feed.subscribe((e) => send(e.type, e.data));
      const stopAudit = opts.audit.subscribe((entry) => send('audit', entry));
      const ping = setInterval(() => res.write(': ping\n\n'), opts.pingMs ?? PING_MS);
      res.on('close', () => {
        clearInterval(ping);
        stopFeed();
        stopAudit();
        streams.delete(res);
      });
    },
  );
};
