// What the journal tests share: throwaway data folders, and a fleet run that ends in a board failsafe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { FleetRig } from '../boards/fleet-rig.js';

/** A maker of fresh folders named `<prefix>…`, all removed after each test. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/** Opens the fleet, heats the chamber, then makes the board deaf until its failsafe acts, and stops. */
export async function runToFailsafe(r: FleetRig): Promise<void> {
  await r.during(r.fleet.open());
  r.fleet.fermenters[0]?.setMode('chamber');
  r.fleet.fermenters[0]?.setChamberSetpoint(25);
  r.fleet.start();
  await r.run(150_000);
  r.board.deaf = true;
  await r.run(80_000);
  await r.during(r.fleet.stop());
}
