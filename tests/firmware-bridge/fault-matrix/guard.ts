// A welded relay: no board can open it, on any driver. The guard on the host sees the chamber keep moving
// with the output off, raises RELAY_STUCK_ON and holds every other output off; measured once on the guard
// with a manual clock, for every driver.
import { COOL, HEAT, OFF, Rig, UNTIMED } from '../safety/rig.js';
import type { Cell, Driver } from './cells.js';

const q = (v: number) => Math.floor(v * 16) / 16;

export function stuckRelayCells(drivers: readonly Driver[]): Cell[] {
  const rig = new Rig({ safety: UNTIMED });
  rig.chamber = 10;
  rig.run(60, COOL, (t) => {
    rig.chamber = q(10 - t / 600);
  });
  rig.tick(OFF);
  const from = rig.chamber;
  // The welded compressor keeps pulling the air down 0.1 °C a minute; the controller then asks for heat.
  const foundAt = rig.runUntil(
    3 * 3600,
    OFF,
    () => rig.incidents.some((i) => i.code === 'COBREW_ERR_RELAY_STUCK_ON'),
    (t) => {
      rig.chamber = q(from - t / 600);
    },
  );
  const writes = rig.port.writes.length;
  rig.run(3600, HEAT, (t) => {
    rig.chamber = q(from - (foundAt + t) / 600);
  });
  const energised = rig.port.writes.slice(writes).filter((w) => w.heat || w.cool).length;
  const [first, ...rest] = drivers;
  const cell: Cell = {
    fault: 'stuck (welded) relay',
    driver: first as Driver,
    kind: 'host-side',
    limit: 'found within 31 min of the switch-off (RELAY_STUCK_ON); from then every other output held off',
    measured: `found ${foundAt < 0 ? 'never' : `${Math.round(foundAt / 60)} min`} after the switch-off; ${energised} writes with an output on in the hour after, with heat asked every second`,
    beyond: (foundAt < 0 || foundAt > 31 * 60 ? 1 : 0) + (energised > 0 ? 1 : 0),
  };
  return [
    cell,
    ...rest.map((d): Cell => ({ fault: cell.fault, driver: d, kind: 'shared', with: cell.driver })),
  ];
}
