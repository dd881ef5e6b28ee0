// A batch's costs for a spreadsheet (CSV, RFC 4180, one line per energy line or consumable) or for other
// programs (JSON, the API's answer under a format name).
import { csvField } from '../ledger/export.js';
import type { BatchCost } from './batch-cost.js';

export const COST_CSV_COLUMNS = [
  'batch_id',
  'item',
  'fermenter',
  'output',
  'period',
  'kind',
  'name',
  'quantity',
  'unit',
  'on_hours',
  'load_w',
  'kwh',
  'price_per_kwh',
  'cost',
  'currency',
] as const;

export function batchCostCsv(cost: BatchCost): string {
  const rows: Array<Array<string | number | null>> = [
    ...cost.energy.lines.map((l) => [
      cost.batchId,
      'energy',
      l.fermenterId,
      l.output,
      l.period,
      null,
      null,
      null,
      null,
      Number(l.onHours.toFixed(4)),
      l.loadW,
      Number(l.kWh.toFixed(4)),
      l.pricePerKWh,
      l.cost,
      cost.currency,
    ]),
    ...cost.consumables.map((c) => [
      cost.batchId,
      'consumable',
      null,
      null,
      null,
      c.kind,
      c.name,
      c.quantity,
      c.unit,
      null,
      null,
      null,
      null,
      c.cost,
      cost.currency,
    ]),
  ];
  const lines = [COST_CSV_COLUMNS.join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export interface BatchCostJson extends BatchCost {
  format: 'cobrew-batch-costs';
  formatVersion: 1;
  exportedAt: string;
}

export function batchCostJson(cost: BatchCost, now: number): BatchCostJson {
  return { format: 'cobrew-batch-costs', formatVersion: 1, exportedAt: new Date(now).toISOString(), ...cost };
}
