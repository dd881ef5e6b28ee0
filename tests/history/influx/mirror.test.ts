// The InfluxDB mirror against a real server that speaks /api/v2/write (VictoriaMetrics): what arrives, and
// that nothing is lost while the server is away, across a restart of the mirror, or at close.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_FILE_NAME } from '../../../history/influx/protocol.js';
import type { HistoryReading } from '../../../history/reading.js';
import { waitFor } from '../../broker/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { startGate } from './gate.js';
import { influxSettings, pointsOf, readings, stored, storedAtLeast, useRig } from './mirror-rig.js';

const rig = useRig();

/** Writes in calls of `per` readings, as the recorder does, `gapMs` apart. */
async function writeInCalls(
  mirror: { write(r: HistoryReading[]): void },
  rs: HistoryReading[],
  per: number,
  gapMs = 0,
) {
  for (let i = 0; i < rs.length; i += per) {
    mirror.write(rs.slice(i, i + per));
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
}

describe('InfluxDB mirror', () => {
  it('writes measurement fermenter, tags fermenter and space, one field per value, ms timestamps', async () => {
    const vm = await rig.victoria();
    const { mirror, records } = rig.mirror(influxSettings(vm.url), await rig.dataDir());
    const ale = readings(3, 'ale');
    const at = (ale[0] as HistoryReading).at;
    const lager: HistoryReading[] = [
      { fermenterId: 'lager', at: at + 1, fields: { beerC: 10.0625, hydrometerBatteryV: 3.92 } },
      { fermenterId: 'lager', at: at + 1002, fields: { beerC: 10.125, chamberC: Number.NaN } },
    ];
    mirror.write([...ale, ...lager]);
    // The NaN chamberC is not sent; everything else exactly, once.
    const expected = pointsOf([...ale, ...lager]).filter((p) => !Number.isNaN(p.value));
    expect(await storedAtLeast(vm, expected.length)).toEqual(expected);

    const series = await vm.exportSeries('{__name__=~"fermenter_.+"}');
    expect(series.map((s) => s.metric.__name__)).toEqual([
      'fermenter_beerC',
      'fermenter_beerC',
      'fermenter_chamberC',
      'fermenter_cool',
      'fermenter_gravity',
      'fermenter_heat',
      'fermenter_hydrometerBatteryV',
    ]);
    for (const s of series) {
      expect(Object.keys(s.metric).sort()).toEqual(['__name__', 'fermenter', 'space']);
      expect(s.metric.space).toBe('La Cuverie, Lyon');
    }
    await mirror.close();
    expect(await mirror.status()).toEqual({ backlog: 0, down: false });
    expect(records.filter((r) => r.level >= 40)).toEqual([]);
  });

  it('queues on disk while the server is not there yet, and delivers in order once it starts', async () => {
    const vm = await rig.victoria({ started: false });
    const dir = await rig.dataDir();
    const { mirror, records, codes } = rig.mirror(influxSettings(vm.url), dir);
    const rs = readings(300);
    await writeInCalls(mirror, rs.slice(0, 10), 10);
    await eventually(async () => (await mirror.status()).down, 'the mirror to notice the server is down');
    await writeInCalls(mirror, rs.slice(10), 10, 5);
    expect(await mirror.status()).toEqual({ backlog: 300, down: true });
    expect(existsSync(join(dir, QUEUE_FILE_NAME))).toBe(true);
    expect(codes()).toEqual(['COBREW_ERR_INFLUX_UNAVAILABLE']);
    expect(records.find((r) => r.code === 'COBREW_ERR_INFLUX_UNAVAILABLE')?.msg).toContain(
      join(dir, QUEUE_FILE_NAME),
    );

    await vm.start();
    await eventually(async () => (await mirror.status()).backlog === 0, 'the queue to empty', 15_000);
    expect(await storedAtLeast(vm, pointsOf(rs).length)).toEqual(pointsOf(rs));
    expect((await mirror.status()).down).toBe(false);
    expect(records.at(-1)?.msg).toMatch(/^InfluxDB caught up: 300 queued readings delivered \d+ s after/);
  });

  it('keeps what comes while the server is stopped mid-run, and new readings wait behind it', async () => {
    const vm = await rig.victoria();
    const { mirror } = rig.mirror(influxSettings(vm.url), await rig.dataDir());
    const rs = readings(150);
    await writeInCalls(mirror, rs.slice(0, 50), 10, 5);
    await storedAtLeast(vm, pointsOf(rs.slice(0, 50)).length);

    await vm.stop();
    await writeInCalls(mirror, rs.slice(50, 100), 10, 20);
    await eventually(
      async () => (await mirror.status()).backlog === 50,
      'the outage readings to be queued',
      10_000,
    );

    await vm.start();
    await writeInCalls(mirror, rs.slice(100), 10, 5);
    await eventually(async () => (await mirror.status()).backlog === 0, 'the queue to empty', 15_000);
    await mirror.close();
    expect(await mirror.status()).toEqual({ backlog: 0, down: false });
    // Every reading once: none lost, none sent twice.
    expect(await storedAtLeast(vm, pointsOf(rs).length)).toEqual(pointsOf(rs));
  });

  it('delivers the queue a previous run left behind', async () => {
    const vm = await rig.victoria({ started: false });
    const dir = await rig.dataDir();
    const first = rig.mirror(influxSettings(vm.url), dir);
    const rs = readings(200, 'lager');
    await writeInCalls(first.mirror, rs, 20);
    // close() returns although the server is down: what it could not send is on disk.
    await first.mirror.close();
    expect((await first.mirror.status()).backlog).toBe(200);

    await vm.start();
    const second = rig.mirror(influxSettings(vm.url), dir);
    await waitFor(() => second.records.length > 0, 'the mirror to say what it found');
    expect(second.records[0]?.msg).toBe('InfluxDB: 200 readings queued before the last stop; sending them');
    await eventually(
      async () => (await second.mirror.status()).backlog === 0,
      'the old queue to be sent',
      15_000,
    );
    expect(await storedAtLeast(vm, pointsOf(rs).length)).toEqual(pointsOf(rs));
  });

  it('at its bound drops the oldest readings, says so once, and delivers the newest', async () => {
    const vm = await rig.victoria({ started: false });
    const { mirror, records, codes } = rig.mirror(
      influxSettings(vm.url, { queueMaxReadings: 50 }),
      await rig.dataDir(),
    );
    const rs = readings(80);
    await writeInCalls(mirror, rs.slice(0, 10), 10);
    await eventually(async () => (await mirror.status()).down, 'the mirror to notice the server is down');
    await writeInCalls(mirror, rs.slice(10), 10);
    expect((await mirror.status()).backlog).toBe(50);
    expect(codes()).toEqual(['COBREW_ERR_INFLUX_UNAVAILABLE', 'COBREW_ERR_INFLUX_QUEUE_FULL']);
    expect(records.find((r) => r.code === 'COBREW_ERR_INFLUX_QUEUE_FULL')?.msg).toContain(
      'holds its maximum of 50 readings: the oldest are dropped',
    );

    await vm.start();
    await eventually(async () => (await mirror.status()).backlog === 0, 'the queue to empty', 15_000);
    expect(await storedAtLeast(vm, pointsOf(rs.slice(30)).length)).toEqual(pointsOf(rs.slice(30)));
    expect(records.at(-1)?.msg).toMatch(
      /delivered \d+ s after the first was queued, 30 dropped at the queue's bound$/,
    );
  });

  it('close() waits for every batch the client sent on its own', async () => {
    const vm = await rig.victoria();
    const gate = await startGate(vm.url);
    rig.defer(() => gate.close());
    gate.delayMs = 300;
    // Batches of 10 go out as soon as they fill up, not awaited by the client's own flush() or close().
    const { mirror } = rig.mirror(
      influxSettings(gate.url, { batchSize: 10, flushIntervalMs: 60_000 }),
      await rig.dataDir(),
    );
    // Ten full batches, all sent before close(): the client's buffer is empty, its close() has nothing to wait for.
    const rs = readings(100);
    mirror.write(rs);
    expect(gate.answered).toBe(0);
    await mirror.close();
    expect(gate.received).toBe(10);
    expect(gate.answered).toBe(10);
    // Already there: no waiting for stragglers.
    expect(await stored(vm)).toEqual(pointsOf(rs));
  });

  it('queues what a server refuses (wrong token) and sends it once it accepts', async () => {
    const vm = await rig.victoria();
    const gate = await startGate(vm.url);
    rig.defer(() => gate.close());
    gate.answer = { status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' };
    const { mirror, records } = rig.mirror(influxSettings(gate.url), await rig.dataDir());
    const rs = readings(40);
    await writeInCalls(mirror, rs, 10, 20);
    await eventually(async () => (await mirror.status()).backlog === 40, 'the refused readings to be queued');
    const refused = records.filter((r) => r.code === 'COBREW_ERR_INFLUX_REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.msg).toContain('HTTP 401: {"code":"unauthorized","message":"unauthorized access"}');
    expect(refused[0]?.msg).toContain('check influx.token');

    gate.answer = null;
    await eventually(async () => (await mirror.status()).backlog === 0, 'the queue to empty', 15_000);
    expect(await storedAtLeast(vm, pointsOf(rs).length)).toEqual(pointsOf(rs));
  });

  it('drops what the server rejects as invalid, says so, and goes on with the rest', async () => {
    const vm = await rig.victoria();
    const gate = await startGate(vm.url);
    rig.defer(() => gate.close());
    gate.answer = { status: 400, body: 'field type conflict' };
    const { mirror, records } = rig.mirror(influxSettings(gate.url), await rig.dataDir());
    const rs = readings(20);
    mirror.write(rs.slice(0, 10));
    await waitFor(
      () => records.some((r) => r.code === 'COBREW_ERR_INFLUX_REJECTED'),
      'the rejection to be logged',
    );
    expect((await mirror.status()).backlog).toBe(0);
    expect(records.find((r) => r.code === 'COBREW_ERR_INFLUX_REJECTED')?.msg).toContain(
      'rejected 10 readings as invalid (HTTP 400: field type conflict)',
    );
    gate.answer = null;
    mirror.write(rs.slice(10));
    await mirror.close();
    expect(await storedAtLeast(vm, pointsOf(rs.slice(10)).length)).toEqual(pointsOf(rs.slice(10)));
  });

  it('says so and stays out of the way when its queue cannot be opened', async () => {
    const dir = join(await rig.dataDir(), 'no', 'such', 'dir');
    const { mirror, records } = rig.mirror(influxSettings('http://127.0.0.1:9'), dir);
    await waitFor(() => records.length > 0, 'the mirror to say why it cannot run');
    expect(records[0]).toMatchObject({ level: 50, code: 'COBREW_ERR_INFLUX_QUEUE_UNWRITABLE' });
    expect(records[0]?.msg).toContain(join(dir, QUEUE_FILE_NAME));
    mirror.write(readings(3));
    await mirror.close();
  });
});
