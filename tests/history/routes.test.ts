// The history routes on a bare fastify (no auth hook), in front of a real history service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../broker/log.js';
import { installErrorHandling } from '../../dashboard/api/error-handler.js';
import { validatorCompiler } from '../../dashboard/api/validation.js';
import { historyRoutes } from '../../history/routes.js';
import { HistoryService } from '../../history/service.js';
import { stateItem, T0 } from './fixtures.js';

const DAY = 86_400_000;

describe('history routes', () => {
  let app: FastifyInstance;
  let service: HistoryService;
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-history-routes-'));
  // One service and server for every case: they only read.
  beforeAll(async () => {
    service = await HistoryService.start({
      path: join(dir, 'history.db'),
      retentionMs: 30 * DAY,
      queueMax: 100_000,
      log: silentLog,
    });
    service.write(Array.from({ length: 7200 }, (_, i) => stateItem('ale', T0 + i * 1000)));
    service.write([
      {
        kind: 'incident',
        incident: {
          id: 1,
          fermenterId: 'ale',
          code: 'COBREW_ERR_PROBE_STALE',
          severity: 'trip',
          at: T0 + 60_000,
          message: 'The beer probe stopped answering; check its cable.',
          context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
        },
      },
    ]);
    await service.flushed();
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    installErrorHandling(app);
    await app.register(historyRoutes, { history: service });
  });
  afterAll(async () => {
    await app.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a downsampled, columnar history within maxPoints', async () => {
    const res = await app.inject({
      url: `/api/fermenters/ale/history?from=${T0}&to=${T0 + 7_199_000}&fields=beerC,heat&maxPoints=500`,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      fermenterId: 'ale',
      from: T0,
      to: T0 + 7_199_000,
      level: '10s',
      fields: ['beerC', 'heat'],
    });
    expect(body.t.length).toBeLessThanOrEqual(500);
    expect(Object.keys(body.series)).toEqual(['beerC', 'heat']);
    expect(body.series.heat.max.length).toBe(body.t.length);
  });

  it('gives the error shape with a typed code for bad input and unknown fermenters', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/fermenters/stout/history', 404, 'COBREW_ERR_HISTORY_UNKNOWN_FERMENTER'],
      ['/api/fermenters/ale/history?fields=beerF', 400, 'COBREW_ERR_HISTORY_FIELD'],
      [`/api/fermenters/ale/history?from=${T0 + 10}&to=${T0}`, 400, 'COBREW_ERR_HISTORY_RANGE'],
      ['/api/fermenters/ale/history?maxPoints=20000', 400, 'COBREW_ERR_INVALID'],
      ['/api/fermenters/ale/history.csv?fields=nope', 400, 'COBREW_ERR_HISTORY_FIELD'],
    ];
    for (const [url, status, code] of cases) {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url} ${res.body}`).toBe(status);
      expect(res.json(), url).toMatchObject({
        statusCode: status,
        code,
        error: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  it('streams CSV', async () => {
    const res = await app.inject({
      url: `/api/fermenters/ale/history.csv?from=${T0}&to=${T0 + 3_599_000}&fields=beerC`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cobrew-ale.csv"');
    const lines = res.body.trimEnd().split('\n');
    expect(lines[0]).toBe('time,epoch_ms,beerC');
    expect(lines).toHaveLength(3601);
  });

  it('lists events and incidents', async () => {
    const events = (await app.inject({ url: '/api/fermenters/ale/events' })).json();
    expect(events.events.map((e: { kind: string }) => e.kind)).toEqual(['mode', 'incident']);
    const incidents = (await app.inject({ url: '/api/incidents?fermenter=ale&limit=5' })).json();
    expect(incidents.incidents).toHaveLength(1);
    expect(incidents.incidents[0]).toMatchObject({ code: 'COBREW_ERR_PROBE_STALE', fermenterId: 'ale' });
  });
});
