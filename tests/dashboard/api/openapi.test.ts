// The OpenAPI document at /docs: every route of the API in it, each with its inputs and answers described,
// and Swagger UI served from this machine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../app/log.js';
import { IspindelRouter } from '../../../broker/ispindel-listener.js';
import { type Accounts, openAccounts } from '../../../dashboard/accounts/index.js';
import type { CommandSender } from '../../../dashboard/api/command-sender.js';
import { buildDashboard } from '../../../dashboard/server.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import { makeStore } from '../../recipes/commons/helpers.js';

interface Operation {
  summary?: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('OpenAPI', () => {
  let dataDir: string;
  let accounts: Accounts;
  let commons: CommonsStore;
  let app: FastifyInstance;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cobrew-openapi-'));
    accounts = openAccounts({ dataDir });
    commons = makeStore().store;
    const unused = () => {
      throw new Error('not used here');
    };
    app = buildDashboard({
      fermenters: [],
      states: { get: () => undefined, all: () => [], online: () => null },
      feed: { subscribe: () => () => {} },
      mqttConnected: () => true,
      broker: { kind: 'embedded', url: 'mqtt://127.0.0.1:1883' },
      ispindels: { router: new IspindelRouter([], []), now: Date.now },
      accounts,
      commands: { send: unused, close: async () => {} } as CommandSender,
      http: { trustProxy: false, secureCookies: 'auto' },
      webRoot: null,
      commons,
      log: createLogger({ level: 'silent' }),
    });
    // Every route fastify will serve, as it is added (the plugins add theirs when the app boots).
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    accounts.close();
    commons.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const documented = async () => (await app.inject({ url: '/docs/json' })).json<OpenApi>();

  it('lists every API route with its method, and only hides the pages and the docs themselves', async () => {
    const doc = await documented();
    expect(doc.openapi).toBe('3.1.0');
    const openapiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');
    const served = routes
      .filter((r) => !r.url.startsWith('/docs') && r.method !== 'HEAD')
      .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${r.url}`));
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const pages = ['GET /', 'GET /status', 'GET /fragments/fermenters', 'GET /assets/status.js'];
    expect(
      served
        .filter((r) => !pages.includes(r))
        .map((r) => {
          const [m, url] = r.split(' ') as [string, string];
          return `${m} ${openapiPath(url)}`;
        })
        .sort(),
    ).toEqual(inDoc.sort());
    for (const route of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/auth/me',
      'GET /api/fermenters',
      'GET /api/fermenters/{id}',
      'POST /api/fermenters/{id}/set',
      'GET /api/live',
      'GET /api/audit',
      'POST /api/ispindel',
      'GET /healthz',
      'GET /api/recipes',
      'POST /api/recipes/{id}/versions/{number}/fork',
      'DELETE /api/brewlogs/{id}/readings/{readingId}',
      'GET /api/ledger/export',
      'POST /api/commons/bundle',
    ]) {
      expect(inDoc).toContain(route);
    }
  });

  it('describes each API operation: its inputs, its success and its errors in the one error shape', async () => {
    const doc = await documented();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toBeTruthy();
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success.length, where).toBeGreaterThan(0);
        if (path.includes('{id}'))
          expect(
            op.parameters?.some((p) => p.in === 'path' && p.name === 'id'),
            where,
          ).toBe(true);
        for (const [status, answer] of Object.entries(op.responses)) {
          if (!status.startsWith('4') || path === '/healthz') continue;
          const [content] = Object.values(answer.content ?? {});
          const schema = content?.schema as { required?: string[] } | undefined;
          expect(schema?.required, `${where} ${status}`).toEqual(['statusCode', 'code', 'error', 'message']);
        }
      }
    }
    const set = doc.paths['/api/fermenters/{id}/set']?.post;
    expect(set?.requestBody).toBeDefined();
    expect(Object.keys(set?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '504']));
    const fork = doc.paths['/api/recipes/{id}/versions/{number}/fork']?.post;
    expect(Object.keys(fork?.responses ?? {})).toEqual(['201', '400', '401', '403', '404', '409']);
    expect(Object.keys(doc.paths['/api/brewlogs/{id}']?.delete?.responses ?? {})).toContain('204');
    expect(doc.paths['/api/audit']?.get?.parameters?.map((p) => p.name).sort()).toEqual([
      'fermenter',
      'from',
      'limit',
      'to',
    ]);
    // Public routes say they need no session.
    expect(doc.paths['/api/auth/login']?.post?.security).toEqual([]);
    expect(doc.paths['/api/ispindel']?.post?.security).toEqual([]);
    expect(doc.paths['/api/fermenters']?.get?.security).toBeUndefined();
  });

  it('serves Swagger UI and its assets from this machine, with no link to a CDN', async () => {
    const page = await app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\//);
    const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const asset = await app.inject({ url: new URL(src, 'http://x/docs/').pathname });
      expect(asset.statusCode, src).toBe(200);
    }
  });
});
