// What the mirror tells about an outage and how long it waits, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { InfluxUnavailableError } from '../../../history/influx/errors.js';
import { OutageReport } from '../../../history/influx/outage.js';
import { captureLog } from './log-capture.js';

function setup() {
  const clock = new ManualClock();
  const { log, records, codes } = captureLog();
  const report = new OutageReport(clock, log, {
    retryMinMs: 1000,
    retryMaxMs: 60_000,
    reportEveryMs: 60_000,
    queueFile: '/data/influx-queue.db',
    queueMaxReadings: 500,
  });
  return { clock, records, codes, report };
}

const down = new InfluxUnavailableError('http://influx.lan:8086', 'connect ECONNREFUSED', '/data/q.db');

describe('OutageReport', () => {
  it('waits twice as long after each failure in a row, up to retryMaxMs, and starts over after a delivery', () => {
    const { report } = setup();
    const waits = Array.from({ length: 9 }, () => report.failed(down, 10));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(report.down).toBe(true);
    report.delivered(10, 0);
    expect(report.down).toBe(false);
    expect(report.failed(down, 10)).toBe(1000);
  });

  it('says an outage once, then at most one progress line a minute, then one caught-up line', () => {
    const { clock, records, report } = setup();
    // Ten minutes down: a failed try and a queued batch every second.
    for (let s = 0; s < 600; s++) {
      report.failed(down, s);
      report.queued(s + 1, 0);
      clock.advance(1000);
    }
    expect(records.filter((r) => r.code === 'COBREW_ERR_INFLUX_UNAVAILABLE')).toHaveLength(1);
    const progress = records.filter((r) => r.msg.startsWith('InfluxDB unavailable: '));
    expect(progress.length).toBeGreaterThanOrEqual(9);
    expect(progress.length).toBeLessThanOrEqual(10);
    report.delivered(400, 200);
    report.delivered(200, 0);
    clock.advance(3000);
    report.caughtUp();
    const last = records.at(-1);
    expect(last?.msg).toBe(
      'InfluxDB caught up: 600 queued readings delivered 603 s after the first was queued',
    );
    expect(last).toMatchObject({ delivered: 600, dropped: 0, seconds: 603 });
    expect(records.filter((r) => r.msg.startsWith('InfluxDB answers again'))).toHaveLength(1);
    expect(records.length).toBeLessThanOrEqual(14);
    // Nothing queued since: no second caught-up line.
    report.caughtUp();
    expect(records.at(-1)).toBe(last);
  });

  it('says it again when the reason changes', () => {
    const { codes, report } = setup();
    report.failed(down, 1);
    report.failed(down, 1);
    report.failed({ code: 'COBREW_ERR_INFLUX_REFUSED', message: 'HTTP 401' }, 1);
    report.failed({ code: 'COBREW_ERR_INFLUX_REFUSED', message: 'HTTP 401' }, 1);
    expect(codes()).toEqual(['COBREW_ERR_INFLUX_UNAVAILABLE', 'COBREW_ERR_INFLUX_REFUSED']);
  });

  it('reports a full queue once per episode and counts what it dropped', () => {
    const { clock, records, codes, report } = setup();
    report.failed(down, 500);
    for (let i = 0; i < 100; i++) report.queued(500, 10);
    const full = records.filter((r) => r.code === 'COBREW_ERR_INFLUX_QUEUE_FULL');
    expect(full).toHaveLength(1);
    expect(full[0]?.level).toBe(50);
    expect(full[0]?.msg).toContain('holds its maximum of 500 readings: the oldest are dropped');
    report.delivered(500, 0);
    clock.advance(1000);
    report.caughtUp();
    expect(records.at(-1)?.msg).toBe(
      "InfluxDB caught up: 500 queued readings delivered 1 s after the first was queued, 1000 dropped at the queue's bound",
    );
    // A new episode says it again.
    report.failed(down, 500);
    report.queued(500, 1);
    expect(codes().filter((c) => c === 'COBREW_ERR_INFLUX_QUEUE_FULL')).toHaveLength(2);
  });
});
