import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { batchCost, batchPeriod } from '../../../recipes/costs/batch-cost.js';
import { type FermenterUse, priceEnergy } from '../../../recipes/costs/energy.js';
import { type Tariff, TariffSchema, tariffProblems } from '../../../recipes/costs/tariff.js';
import { tariffPeriods } from '../../../recipes/costs/tariff-periods.js';

const H = 3_600_000;
const tariff = (t: Partial<Tariff>): Tariff => Value.Default(TariffSchema, structuredClone(t)) as Tariff;
/** 22:00 to 06:00 off-peak at 0.20, 0.30 otherwise, in UTC. */
const NIGHT = tariff({
  pricePerKWh: 0.3,
  offPeak: { pricePerKWh: 0.2, hours: [{ from: '22:00', to: '06:00' }] },
});
const day = (h: number, m = 0) => Date.UTC(2026, 4, 10, h, m);

function heater(fermenterId: string, from: number, to: number, loadW: number, duty = 1): FermenterUse {
  return { fermenterId, from, to, outputs: [{ output: 'heat', loadW, segments: [{ from, to, duty }] }] };
}

describe('tariff periods', () => {
  it('one price all along without off-peak hours', () => {
    expect(tariffPeriods(tariff({ pricePerKWh: 0.25 }), day(1), day(5))).toEqual([
      { from: day(1), to: day(5), kind: 'single', pricePerKWh: 0.25 },
    ]);
  });

  it('cuts exactly at the peak/off-peak boundaries, across midnight', () => {
    const periods = tariffPeriods(NIGHT, day(20), day(20) + 12 * H);
    expect(periods.map((p) => [p.kind, (p.from - day(20)) / H, (p.to - day(20)) / H])).toEqual([
      ['peak', 0, 2],
      ['off-peak', 2, 10],
      ['peak', 10, 12],
    ]);
    // One millisecond either side of 22:00 falls in a different period.
    expect(tariffPeriods(NIGHT, day(21, 59), day(22) - 1).map((p) => p.kind)).toEqual(['peak']);
    expect(tariffPeriods(NIGHT, day(22), day(22) + 1).map((p) => p.kind)).toEqual(['off-peak']);
  });

  it('follows the wall clock of its time zone, daylight saving included', () => {
    const paris = { ...NIGHT, timeZone: 'Europe/Paris' };
    // 29 March 2026: Paris goes from UTC+1 to UTC+2 at 01:00 UTC. 22:00 local is 21:00 UTC the day before,
    // 06:00 local is 04:00 UTC that morning: a night of 7 hours.
    const from = Date.UTC(2026, 2, 28, 12);
    const periods = tariffPeriods(paris, from, from + 24 * H);
    const off = periods.find((p) => p.kind === 'off-peak');
    expect(off).toMatchObject({ from: Date.UTC(2026, 2, 28, 21), to: Date.UTC(2026, 2, 29, 4) });
  });

  it('refuses an unknown zone or an empty period, saying what to write', () => {
    expect(tariffProblems(tariff({ timeZone: 'Mars/Olympus' }))[0]).toMatch(
      /tariff.timeZone: .*Europe\/Paris/,
    );
    const empty = tariff({ offPeak: { pricePerKWh: 0.1, hours: [{ from: '06:00', to: '06:00' }] } });
    expect(tariffProblems(empty)[0]).toMatch(/offPeak.hours\[0\]: from and to are both 06:00/);
  });
});

describe('energy priced by the tariff', () => {
  it('a heater on across 22:00 pays the peak price before it and off-peak after', () => {
    // 1000 W, 21:00 to 23:30: 1 kWh at 0.30, 1.5 kWh at 0.20.
    const cost = priceEnergy([heater('ale', day(21), day(23, 30), 1000)], NIGHT);
    expect(cost.lines.map((l) => [l.period, l.kWh, l.cents])).toEqual([
      ['peak', 1, 30],
      ['off-peak', 1.5, 30],
    ]);
    expect(cost.cents).toBe(60);
  });

  it('a batch spanning midnight: the whole night off-peak, then peak from 06:00', () => {
    // 500 W at half duty from 20:00 to 08:00 the next day: 2 h peak, 8 h off-peak, 2 h peak again.
    const from = day(20);
    const cost = priceEnergy([heater('ale', from, from + 12 * H, 500, 0.5)], NIGHT);
    const by = Object.fromEntries(cost.lines.map((l) => [l.period, l]));
    expect(by.peak).toMatchObject({ onHours: 2, kWh: 1, cents: 30 });
    expect(by['off-peak']).toMatchObject({ onHours: 4, kWh: 2, cents: 40 });
  });

  it('two fermenters add up, each with its own outputs and power', () => {
    const ale = heater('ale', day(8), day(10), 1000);
    const lager: FermenterUse = {
      fermenterId: 'lager',
      from: day(8),
      to: day(10),
      outputs: [
        { output: 'cool', loadW: 150, segments: [{ from: day(8), to: day(10), duty: 0.5 }] },
        { output: 'heat', loadW: null, segments: [{ from: day(9), to: day(10), duty: 1 }] },
      ],
    };
    const cost = priceEnergy([ale, lager], NIGHT);
    expect(cost.lines.map((l) => [l.fermenterId, l.output, l.kWh, l.cents])).toEqual([
      ['ale', 'heat', 2, 60],
      ['lager', 'cool', 0.15, 5],
    ]);
    expect(cost.cents).toBe(65);
    expect(cost.kWh).toBeCloseTo(2.15, 10);
    expect(cost.undeclared).toEqual([{ fermenterId: 'lager', output: 'heat', onHours: 1 }]);
  });

  it('counts only what falls inside the batch, and no duty beyond 100 %', () => {
    const use: FermenterUse = {
      fermenterId: 'ale',
      from: day(9),
      to: day(10),
      outputs: [{ output: 'heat', loadW: 1000, segments: [{ from: day(8), to: day(11), duty: 3 }] }],
    };
    expect(priceEnergy([use], NIGHT).lines).toMatchObject([{ onHours: 1, kWh: 1, cents: 30 }]);
  });
});

describe('a batch cost on its clock', () => {
  const consumables = [
    {
      id: 'c1',
      batchId: 'b1',
      kind: 'yeast' as const,
      name: 'US-05',
      quantity: 2,
      unit: 'sachet',
      cost: '7.00',
      recordedBy: 'alice',
      recordedAt: day(8),
    },
  ];

  it('runs to now while the batch is in its fermenter, and totals energy and consumables', () => {
    const clock = new ManualClock(day(8));
    const batch = { id: 'b1', name: 'Helles', fermenterId: 'ale', startedAt: day(8), endedAt: null };
    clock.advance(2 * H);
    const period = batchPeriod(batch, clock);
    expect(period).toEqual({ from: day(8), to: day(10), ongoing: true });
    const cost = batchCost({
      batch,
      period,
      uses: [heater('ale', period.from, period.to, 1000)],
      consumables,
      tariff: NIGHT,
    });
    expect(cost).toMatchObject({ currency: 'EUR', total: '7.60', consumablesCost: '7.00' });
    expect(cost.energy).toMatchObject({ known: true, cost: '0.60', kWh: 2 });
    expect(cost.lines).toEqual([
      { label: 'energy ale heat peak: 2 h at 1000 W = 2 kWh at 0.3/kWh', cost: '0.60' },
      { label: 'yeast US-05: 2 sachet', cost: '7.00' },
    ]);
    // Ended: the clock no longer moves the period.
    clock.advance(5 * H);
    expect(batchPeriod({ ...batch, endedAt: day(9) }, clock)).toEqual({
      from: day(8),
      to: day(9),
      ongoing: false,
    });
  });

  it('says when the energy is unknown rather than counting it as nothing', () => {
    const clock = new ManualClock(day(9));
    const batch = { id: 'b1', name: 'Helles', fermenterId: 'ale', startedAt: day(8), endedAt: null };
    const cost = batchCost({
      batch,
      period: batchPeriod(batch, clock),
      uses: null,
      consumables,
      tariff: NIGHT,
    });
    expect(cost.energy).toMatchObject({ known: false, cost: '0.00' });
    expect(cost.energy.note).toMatch(/history/);
    expect(cost.total).toBe('7.00');
  });
});
