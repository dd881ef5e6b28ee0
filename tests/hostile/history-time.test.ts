// Findings 1, 2 and 21: a state dated far ahead must neither stop history nor purge it, and no range a viewer
// can ask for may hang the history worker or answer 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../broker/log.js';
import { WIRE_FUTURE_TOLERANCE_MS } from '../../broker/wire-time.js';
import { ManualClock } from '../../common/clock.js';
import { installErrorHandling } from '../../dashboard/api/error-handler.js';
import { validatorCompiler } from '../../dashboard/api/validation.js';
import { HistoryReader } from '../../history/reader.js';
import { startRecorder } from '../../history/recorder.js';
import { historyRoutes } from '../../history/routes.js';
import { HistoryService } from '../../history/service.js';
import { HistoryStore } from '../../history/store.js';
import { sampleState, useCleanup, waitFor } from '../broker/helpers.js';
import { stateItem } from '../history/fixtures.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

describe('a far-future state (finding 1)', () => {
  const { cleanup, broker } = useCleanup();

  it('is refused at the door and counted, and the fermenters around it go on being recorded', async () => {
    const b = await broker();
    const dir = mkdtempSync(join(tmpdir(), 'cobrew-hostile-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const service = await HistoryService.start({
      path: join(dir, 'history.db'),
      retentionMs: 30 * DAY,
      queueMax: 1000,
      log: silentLog,
    });
    cleanup.push(() => service.close());
    const clock = new ManualClock(NOW);
    const recorder = await startRecorder({
      url: b.url,
      baseTopic: 'cobrew',
      sink: service,
      log: silentLog,
      clock,
    });
    cleanup.push(() => recorder.close());
    const pub = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => pub.endAsync());
    const publish = (id: string, at: number) =>
      pub.publishAsync(`cobrew/fermenter/${id}/state`, JSON.stringify(sampleState(id, { at })));
    // A fermenter this cobrew does not even run, 31 days ahead; then a clock a little fast, within tolerance.
    await publish('ghost', NOW + 31 * DAY);
    await publish('ale', NOW + WIRE_FUTURE_TOLERANCE_MS + 1);
    await publish('ale', NOW - 1000);
    await publish('ale', NOW + 60_000);
    await waitFor(() => recorder.refused() >= 2 && service.stats().acknowledged >= 2, 'the four states');
    await service.flushed();
    expect(recorder.refused()).toBe(2);
    expect(await service.fermenters()).toEqual(['ale']);
    const answer = await service.history({
      fermenterId: 'ale',
      from: NOW - 60_000,
      to: NOW + 120_000,
      fields: ['beerC'],
    });
    expect(answer.t).toEqual([NOW - 1000, NOW + 60_000]);
  });

  it("never purges a fermenter's readings newer than the retention by the local clock", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobrew-hostile-'));
    try {
      const path = join(dir, 'history.db');
      const now = () => NOW;
      const store = new HistoryStore(path, { retentionMs: 30 * DAY, now });
      // A poisoned reading, as a store written before times were checked at the door could hold.
      store.ingest([stateItem('ghost', NOW + 31 * DAY)]);
      const ale = Array.from({ length: 10 }, (_, i) => stateItem('ale', NOW - 10 * DAY + i * 3_600_000));
      expect(store.ingest(ale)).toMatchObject({ stored: 10, tooOld: 0 });
      store.close();
      const again = new HistoryStore(path, { retentionMs: 30 * DAY, now });
      expect(again.purge()).toBe(0);
      expect(
        again.db
          .prepare("SELECT count(*) FROM raw WHERE f = (SELECT id FROM fermenters WHERE name = 'ale')")
          .pluck()
          .get(),
      ).toBe(10);
      // Readings of the other fermenters still come in.
      expect(again.ingest([stateItem('ale', NOW)])).toMatchObject({ stored: 1, tooOld: 0 });
      const reader = new HistoryReader(again.db, { retentionMs: 30 * DAY, now });
      expect(
        reader.history({ fermenterId: 'ale', from: NOW - 3_600_000, to: NOW, maxPoints: 1000 }).level,
      ).toBe('raw');
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile history ranges (findings 2 and 21)', () => {
  let app: FastifyInstance;
  let service: HistoryService;
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-hostile-'));
  beforeAll(async () => {
    service = await HistoryService.start({
      path: join(dir, 'history.db'),
      retentionMs: 30 * DAY,
      queueMax: 1000,
      callTimeoutMs: 2000,
      log: silentLog,
    });
    service.write([stateItem('ale', NOW)]);
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

  it.each([
    ['from=0&to=1e26', 400],
    ['from=-1e308&to=1e308', 400],
    ['from=0&to=8640000000000000&maxPoints=1', 200],
    ['from=0&to=8640000000000000&maxPoints=2', 200],
  ])('answers %s with %i, quickly, and keeps recording', async (query, status) => {
    const res = await app.inject({ url: `/api/fermenters/ale/history?${query}` });
    expect(res.statusCode).toBe(status);
    service.write([stateItem('ale', NOW + 1000)]);
    await service.flushed();
  });
});
