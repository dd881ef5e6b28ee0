// What a batch cost: its electricity (energy.ts) over the time it occupied its fermenter, up to now while it
// is still there, plus the consumables recorded against it. Pure but for the clock it is given.
import type { Clock } from '../../common/clock.js';
import { formatCents, parseAmount } from '../ledger/money.js';
import type { Consumable } from './consumables.js';
import { type EnergyLine, type FermenterUse, priceEnergy } from './energy.js';
import type { Tariff } from './tariff.js';

export interface CostedBatch {
  id: string;
  name: string;
  fermenterId: string;
  startedAt: number;
  endedAt: number | null;
}

export interface BatchPeriod {
  from: number;
  to: number;
  /** Still in its fermenter: `to` is now. */
  ongoing: boolean;
}

/** When the batch occupied its fermenter: from its start to its end, or to now while it goes on. */
export function batchPeriod(batch: CostedBatch, clock: Clock): BatchPeriod {
  const to = batch.endedAt ?? Math.max(clock.now(), batch.startedAt);
  return { from: batch.startedAt, to, ongoing: batch.endedAt === null };
}

export interface CostLine {
  /** What it is, in English, for the pot split's explanation and the export. */
  label: string;
  cost: string;
}

export interface PricedEnergyLine extends EnergyLine {
  cost: string;
}

export interface BatchCost {
  batchId: string;
  batchName: string;
  currency: string;
  period: BatchPeriod;
  tariff: Tariff;
  energy: {
    /** False when there is no history to read the outputs' duty from; `note` says why. */
    known: boolean;
    note: string | null;
    lines: PricedEnergyLine[];
    kWh: number;
    cost: string;
    undeclared: Array<{ fermenterId: string; output: string; onHours: number }>;
  };
  consumables: Consumable[];
  consumablesCost: string;
  total: string;
  /** Every amount in the total, line by line: energy lines first, then consumables. */
  lines: CostLine[];
}

export interface BatchCostInput {
  batch: CostedBatch;
  period: BatchPeriod;
  /** The outputs' duty on each fermenter over the period; null when unknown (history off). */
  uses: readonly FermenterUse[] | null;
  unknownEnergy?: string;
  consumables: readonly Consumable[];
  tariff: Tariff;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

export function energyLabel(l: EnergyLine): string {
  const period = l.period === 'single' ? '' : ` ${l.period}`;
  return (
    `energy ${l.fermenterId} ${l.output}${period}: ${round(l.onHours, 2)} h at ${l.loadW} W = ` +
    `${round(l.kWh, 3)} kWh at ${l.pricePerKWh}/kWh`
  );
}

export function consumableLabel(c: Consumable): string {
  return `${c.kind} ${c.name}: ${c.quantity} ${c.unit}`;
}

export function batchCost(input: BatchCostInput): BatchCost {
  const energy = input.uses === null ? null : priceEnergy(input.uses, input.tariff);
  const energyLines = (energy?.lines ?? []).map((l) => ({ ...l, cost: formatCents(BigInt(l.cents)) }));
  const consumablesCents = input.consumables.reduce((s, c) => s + parseAmount(c.cost), 0n);
  const energyCents = BigInt(energy?.cents ?? 0);
  return {
    batchId: input.batch.id,
    batchName: input.batch.name,
    currency: input.tariff.currency,
    period: input.period,
    tariff: input.tariff,
    energy: {
      known: energy !== null,
      note: energy === null ? (input.unknownEnergy ?? 'no history of the outputs') : null,
      lines: energyLines,
      kWh: energy?.kWh ?? 0,
      cost: formatCents(energyCents),
      undeclared: energy?.undeclared ?? [],
    },
    consumables: [...input.consumables],
    consumablesCost: formatCents(consumablesCents),
    total: formatCents(energyCents + consumablesCents),
    lines: [
      ...energyLines.map((l) => ({ label: energyLabel(l), cost: l.cost })),
      ...input.consumables.map((c) => ({ label: consumableLabel(c), cost: c.cost })),
    ],
  };
}
