// The recorder end to end: a real embedded broker, a publisher client, the recorder and the store's worker.
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../broker/log.js';
import type { HistoryMirror, HistoryReading } from '../../history/reading.js';
import { startRecorder } from '../../history/recorder.js';
import { HistoryService } from '../../history/service.js';
import { sampleState, useCleanup, waitFor } from '../broker/helpers.js';
import { tempDir } from './helpers.js';

const DAY = 86_400_000;

describe('history recorder', () => {
  const { cleanup, broker } = useCleanup();

  it('records valid states and incidents, mirrors the readings, and drops invalid payloads with a reason', async () => {
    const b = await broker();
    const service = await HistoryService.start({
      path: join(tempDir(), 'history.db'),
      retentionMs: 30 * DAY,
      queueMax: 1000,
      log: silentLog,
    });
    cleanup.push(() => service.close());
    const mirrored: HistoryReading[] = [];
    const mirror: HistoryMirror = { write: (r) => mirrored.push(...r), close: async () => {} };
    const warnings: Array<{ obj: object; msg: string }> = [];
    const recorder = await startRecorder({
      url: b.url,
      baseTopic: 'cobrew',
      sink: service,
      mirror,
      log: { ...silentLog, warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    cleanup.push(() => recorder.close());

    const pub = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => pub.endAsync());
    const t = Date.UTC(2026, 0, 1, 12);
    const states = [0, 1, 2].map((i) =>
      sampleState('ale', { at: t + i * 1000, beerC: 18 + i / 10, outputs: { heat: i === 1, cool: false } }),
    );
    for (const s of states) await pub.publishAsync('cobrew/fermenter/ale/state', JSON.stringify(s));
    await pub.publishAsync('cobrew/fermenter/ale/state', '{not json');
    await pub.publishAsync('cobrew/fermenter/ale/state', JSON.stringify({ ...states[0], beerC: 'warm' }));
    await pub.publishAsync(
      'cobrew/fermenter/lager/state',
      JSON.stringify(sampleState('ale', { at: t + 5000 })),
    );
    const incident = {
      id: 1,
      fermenterId: 'ale',
      code: 'COBREW_ERR_PROBE_STALE',
      severity: 'trip',
      at: t + 1500,
      message: 'The beer probe stopped answering; check its cable.',
      context: { recent: [], outputs: { heat: false, cool: false }, settings: { mode: 'beer' } },
    };
    await pub.publishAsync('cobrew/fermenter/ale/incident', JSON.stringify(incident), { qos: 1 });

    await waitFor(() => recorder.refused() === 3 && mirrored.length === 3, 'every message to be handled');
    await service.flushed();
    expect(warnings.map((w) => (w.obj as { reason: string }).reason)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/beerC: "warm" is not allowed/),
      expect.stringMatching(/its id "ale" is not the topic's "lager"/),
    ]);
    expect(mirrored[1]).toEqual({
      fermenterId: 'ale',
      at: t + 1000,
      fields: {
        heat: 1,
        cool: 0,
        beerC: 18.1,
        chamberC: 17.1,
        ambientC: 20.3,
        beerSetpointC: 18,
        chamberSetpointC: 16.5,
        gravity: 1.0423,
        hydrometerBatteryV: 3.92,
      },
    });
    const answer = await service.history({
      fermenterId: 'ale',
      from: t,
      to: t + 2000,
      fields: ['beerC', 'heat'],
    });
    expect(answer.t).toEqual([t, t + 1000, t + 2000]);
    expect(answer.series.beerC?.mean).toEqual([18, 18.1, 18.2]);
    expect(answer.series.heat?.max).toEqual([0, 1, 0]);
    expect(await service.incidents()).toEqual([incident]);
  });
});
