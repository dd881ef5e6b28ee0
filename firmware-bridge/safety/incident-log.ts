// Incidents as a person reads them later: what happened, with the readings, outputs and settings of the
// moment. The reading history is a fixed ring, so the every-second path allocates nothing for it.
import type { Incident, Outputs, SafetyCode } from '../types.js';
import { ReadingHistory } from './history.js';

/** Incidents kept in memory; older ones are dropped (the broker and dashboard keep the long history). */
const MAX_INCIDENTS = 200;
/** Readings copied into an incident's context. */
const CONTEXT_READINGS = 60;

export class IncidentLog {
  readonly history = new ReadingHistory(CONTEXT_READINGS);
  readonly #incidents: Incident[] = [];
  #nextId = 1;

  constructor(
    readonly fermenterId: string,
    readonly settings: () => Record<string, unknown>,
  ) {}

  record(
    code: SafetyCode,
    severity: Incident['severity'],
    message: string,
    at: number,
    outputs: Outputs,
    detail: Record<string, unknown>,
  ): Incident {
    const incident: Incident = {
      id: this.#nextId++,
      fermenterId: this.fermenterId,
      code,
      severity,
      at,
      message,
      context: { recent: this.history.snapshot(), outputs, settings: this.settings(), detail },
    };
    this.#incidents.push(incident);
    if (this.#incidents.length > MAX_INCIDENTS) this.#incidents.shift();
    return incident;
  }

  /** The id the next incident gets: ids keep increasing across restarts. */
  get nextId(): number {
    return this.#nextId;
  }

  /** After a restart: the incidents still latched, and where ids carry on from. */
  restore(incidents: readonly Incident[], nextId: number): void {
    this.#incidents.push(...incidents);
    this.#nextId = Math.max(this.#nextId, nextId, ...incidents.map((i) => i.id + 1));
  }

  /** Oldest first. */
  list(): readonly Incident[] {
    return this.#incidents.slice();
  }
}
