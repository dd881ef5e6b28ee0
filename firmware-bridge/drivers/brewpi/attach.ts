// How the fleet plugs a BrewPi board in (README.md beside this file): the fermenter's controller forwards
// its target to the board, a trip puts the board in mode off at once, and the end of the trip gives the
// board its target back. Closing is the board session's, as for every driver.
import type { Controller, Incident, SafetyStatus } from '../../types.js';
import type { BrewPiDriver } from './brewpi-driver.js';
import { BrewPiPassThrough } from './pass-through.js';

/** What this needs of a Fermenter, so the drivers do not import it. */
export interface GuardedFermenter {
  on(event: 'incident', cb: (incident: Incident) => void): unknown;
  readonly guard: { on(event: 'status', cb: (status: SafetyStatus) => void): unknown };
}

/** The fermenter's `controller` option for a BrewPi board. */
export function brewPiController(driver: BrewPiDriver): () => Controller {
  return () => new BrewPiPassThrough(driver);
}

/**
 * Trips reach the board without waiting for the next tick. The latch is released when the guard stops being
 * tripped (a person cleared the trip, or auto-recover did), and only then: a mode off the driver latched by
 * itself (the guard vetoing the board's relays for good) is not released by an unrelated status change.
 */
export function followTrips(fermenter: GuardedFermenter, driver: BrewPiDriver): void {
  let tripped = false;
  fermenter.on('incident', (incident) => {
    if (incident.severity !== 'trip') return;
    tripped = true;
    void driver.safeOff(incident.code);
  });
  fermenter.guard.on('status', (status) => {
    if (!tripped || status.status === 'tripped') return;
    tripped = false;
    driver.resume();
  });
}
