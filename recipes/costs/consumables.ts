// Consumables recorded against a batch (yeast, CO2, cleaning products…): what, how much, what it cost. Its
// owner, co-brewers or an admin record and correct them; everyone who may see the batch sees them.
import { randomUUID } from 'node:crypto';
import type { Batches } from '../commons/batches.js';
import type { Db } from '../commons/db.js';
import { ForbiddenError } from '../commons/errors.js';
import type { Viewer } from '../commons/types.js';
import { formatCents, parseAmount } from '../ledger/money.js';
import type { ConsumableKind } from './consumable-kinds.js';
import { ConsumableNotFoundError } from './errors.js';

export interface NewConsumable {
  kind: ConsumableKind;
  name: string;
  quantity: number;
  /** e.g. sachet, kg, L. */
  unit: string;
  /** What it cost in all, e.g. "7.50" (the tariff's currency). */
  cost: string;
}

export interface Consumable extends NewConsumable {
  id: string;
  batchId: string;
  recordedBy: string;
  recordedAt: number;
}

interface Row {
  id: string;
  brewlog_id: string;
  kind: ConsumableKind;
  name: string;
  quantity: number;
  unit: string;
  cost_cents: number;
  recorded_by: string;
  recorded_at: number;
}

const fromRow = (r: Row): Consumable => ({
  id: r.id,
  batchId: r.brewlog_id,
  kind: r.kind,
  name: r.name,
  quantity: r.quantity,
  unit: r.unit,
  cost: formatCents(BigInt(r.cost_cents)),
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

export interface ConsumableHost {
  readonly db: Db;
  readonly clock: { now(): number };
  readonly batches: Batches;
}

export class Consumables {
  readonly #host: ConsumableHost;

  constructor(host: ConsumableHost) {
    this.#host = host;
  }

  /** The batch's consumables, oldest first (the viewer must be allowed to see the batch). */
  list(batchId: string, viewer: Viewer | null): Consumable[] {
    this.#host.batches.get(batchId, viewer);
    return (
      this.#host.db
        .prepare('SELECT * FROM batch_consumables WHERE brewlog_id = ? ORDER BY recorded_at, rowid')
        .all(batchId) as Row[]
    ).map(fromRow);
  }

  add(batchId: string, input: NewConsumable, viewer: Viewer): Consumable {
    this.#mayChange(batchId, viewer);
    const id = randomUUID();
    this.#host.db
      .prepare(
        `INSERT INTO batch_consumables (id, brewlog_id, kind, name, quantity, unit, cost_cents, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        batchId,
        input.kind,
        input.name.trim(),
        input.quantity,
        input.unit.trim(),
        Number(parseAmount(input.cost)),
        viewer.name,
        this.#host.clock.now(),
      );
    return this.list(batchId, viewer).find((c) => c.id === id) as Consumable;
  }

  remove(batchId: string, id: string, viewer: Viewer): void {
    this.#mayChange(batchId, viewer);
    const { changes } = this.#host.db
      .prepare('DELETE FROM batch_consumables WHERE id = ? AND brewlog_id = ?')
      .run(id, batchId);
    if (changes === 0) throw new ConsumableNotFoundError(batchId, id);
  }

  #mayChange(batchId: string, viewer: Viewer): void {
    const batch = this.#host.batches.get(batchId, viewer);
    if (!viewer.admin && batch.brewer !== viewer.name && !batch.coBrewers.includes(viewer.name)) {
      throw new ForbiddenError(
        `Only ${batch.brewer} (who owns batch ${batchId}), its co-brewers or an admin may record its consumables.`,
      );
    }
  }
}
