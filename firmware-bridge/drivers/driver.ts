// What every board driver offers the control path: the simulator, Firmata boards, boards running cobrew's
// reference firmware (line protocol) and BrewPi legacy boards. The fermenter only ever sees `Board`; the
// lifecycle below is for the fleet, the journal and `cobrew board` commands.
import type { Board } from '../types.js';

/** Who is on the other end of the wire, as the board itself tells it. */
export interface BoardIdentity {
  /** Firmware name, e.g. cobrew-ref, ConfigurableFirmata, StandardFirmata, brewpi, sim. */
  firmware: string;
  /** Firmware version as reported, e.g. 1.2.0 or 0.2.11. */
  version: string;
  /** Board profile id the board claims (reference boards) or the config names; `custom` for modified boards. */
  profile: string;
  /** Why the board last reset (power-on, watchdog, brown-out, external, unknown), when it can tell. */
  resetCause?: string;
  /** Sensor addresses found on the bus (OneWire ROM codes in hex), in bus order. */
  sensors: string[];
  /** The brown-out detector's level as the board read it from its fuses, mV (0: disabled), when it can tell. */
  brownOutMv?: number;
}

/** How a driver learnt that its board restarted by itself. */
export type ResetSign =
  /** The board said HELLO without being asked (cobrew line protocol). */
  | 'hello'
  /** A status line still showed BOOT after the board had accepted outputs: its HELLO was lost. */
  | 'boot-flag'
  /** The sketch sent REPORT_VERSION without being asked (Firmata). */
  | 'report-version';

/**
 * The board restarted with the port open (brown-out, watchdog, noise on reset): its outputs are off. Every
 * serial driver that can see a reset tells it in this one shape, and holds every output off until the guard
 * has written all-off (see `ResetHold`), so nothing switches back on before the guard has decided again.
 */
export interface BoardResetEvent {
  type: 'board-reset';
  at: number;
  identity: BoardIdentity;
  sign: ResetSign;
}

export type DriverEvent =
  | { type: 'identified'; at: number; identity: BoardIdentity }
  | { type: 'disconnected'; at: number; reason: string }
  | { type: 'reconnected'; at: number; identity: BoardIdentity };

/**
 * A board the fleet opens and closes. While disconnected, `read()` returns a frame with every probe null
 * (the guard treats that as missing probes and keeps outputs safe) and output writes are remembered and
 * re-asserted on reconnect, never queued for replay.
 */
export interface BoardDriver extends Board {
  /** Opens the port, identifies the board and starts reading; rejects with a COBREW_ERR_ code on failure. */
  open(): Promise<BoardIdentity>;
  /** Switches every output off, waits for the board to acknowledge when it can, then releases the port. */
  close(): Promise<void>;
  readonly identity: BoardIdentity | null;
  readonly connected: boolean;
  /** Lifecycle events; returns the function that unsubscribes. */
  onEvent(listener: (event: DriverEvent) => void): () => void;
}
