// The rating check: does what a fermenter's outputs switch fit the board's profile? Pure, and the one
// function that start, `cobrew config check` and any reload path call before a real board is driven.
import type { FermenterConfig, RealBoardConfig } from '../config-schema.js';
import type { OutputName } from '../types.js';
import { compressorFloorRefusals } from './compressor-floors.js';
import { BoardRatingError } from './errors.js';
import type { Channel } from './profile-schema.js';
import { type ResolvedProfile, resolveProfile } from './resolve.js';

/** A small compressor's power factor is 0.6–0.8; 0.7 puts its running current on the high side. */
export const COMPRESSOR_POWER_FACTOR = 0.7;
/** A compressor starts at 5–8 × its running current; without a nameplate LRA the worst case is assumed. */
export const INRUSH_FACTOR = 8;

export interface Refusal {
  fermenterId: string;
  /** The configuration key at fault, e.g. outputs.heat.loadW. */
  key: string;
  /** The rating that is exceeded, in words. */
  rating: string;
  /** What to do about it. */
  fix: string;
}

const OUTPUTS: readonly OutputName[] = ['heat', 'cool'];
const WHAT: Record<OutputName, string> = { heat: 'heater', cool: 'cooler' };
const a1 = (x: number) => `${(Math.round(x * 10) / 10).toFixed(1)} A`;

export function isRealBoard(board: FermenterConfig['board']): board is RealBoardConfig {
  return board.type !== 'sim';
}

/** Boards whose own firmware never drives heat and cool together; on others the supply must take both. */
function boardInterlock(board: RealBoardConfig): boolean {
  return board.type === 'cobrew' || board.type === 'brewpi';
}

/** Every refusal for one fermenter; empty when its board is simulated or the set-up fits. */
export function checkRatings(config: FermenterConfig): Refusal[] {
  const board = config.board;
  if (!isRealBoard(board)) return [];
  const refusals: Refusal[] = [];
  const refuse = (key: string, rating: string, fix: string) =>
    refusals.push({ fermenterId: config.id, key, rating, fix });

  if (board.profile === 'custom' && board.custom === undefined) {
    refuse(
      'board.custom',
      'profile custom declares no ratings',
      'declare what differs from the reference board under board.custom (docs/boards.md), or use the reference profile',
    );
  }
  if (board.profile !== 'custom' && board.custom !== undefined) {
    refuse(
      'board.custom',
      `board.custom is only read with profile: custom, and the profile is ${board.profile}`,
      'set board.profile: custom (the board is then shown as modified), or remove board.custom',
    );
  }
  for (const r of compressorFloorRefusals(config)) refuse(r.key, r.rating, r.fix);
  const resolved = resolveProfile(board);
  const { profile } = resolved;
  const label = profileLabel(resolved);

  const coils: Record<OutputName, number> = { heat: 0, cool: 0 };
  for (const o of OUTPUTS) {
    const out = config.outputs[o];
    if (!out.enabled) continue;
    for (const id of profile.outputs[o]) {
      const ch = profile.channels[id];
      if (ch === undefined) {
        refuse(
          `board.custom.outputs.${o}`,
          `${label} has no channel ${id}`,
          `declare ${id} under board.custom.channels, or name one of ${Object.keys(profile.channels).join(', ')}`,
        );
        continue;
      }
      if (ch.type === 'relay' && ch.coilMA > 0) coils[o]++;
      if (out.loadW === undefined) continue;
      checkChannel(o, id, ch, out.loadW, out.kind, out.lockedRotorA, board.mainsV, label, refuse);
    }
    if (out.loadW === undefined) {
      refuse(
        `outputs.${o}.loadW`,
        `the ${WHAT[o]}'s power is not given, so it cannot be checked against ${label}`,
        `set outputs.${o}.loadW to the ${WHAT[o]}'s nameplate watts`,
      );
    }
  }

  const together = boardInterlock(board) ? Math.max(coils.heat, coils.cool) : coils.heat + coils.cool;
  if (together > profile.supply.coilBudget) {
    const why = boardInterlock(board)
      ? 'one output'
      : `heat and cool together (a ${board.type} board does not itself stop both being on)`;
    refuse(
      'board.profile',
      `${together} relay coils energised at once by ${why}, on a coil budget of ${profile.supply.coilBudget} for ${label}'s ${profile.supply.volts} V supply`,
      'give the relays their own supply (a relay module with a separate JD-VCC supply) and declare the budget under ' +
        'board.custom.supply.coilBudget, or switch fewer relays per output',
    );
  }

  const probes = Object.values(config.sensors).filter((s) => s.enabled && s.address !== undefined).length;
  if (probes > profile.oneWire.maxSensors) {
    refuse(
      'sensors',
      `${probes} probes on the OneWire bus of ${label}, which takes ${profile.oneWire.maxSensors}`,
      'remove probes from the configuration, or use a second board',
    );
  }
  if (board.oneWireCableM !== undefined && board.oneWireCableM > profile.oneWire.maxCableM) {
    refuse(
      'board.oneWireCableM',
      `${board.oneWireCableM} m of probe cable on ${label}, whose bus is good for ${profile.oneWire.maxCableM} m`,
      'shorten the bus (one line from probe to probe, not a star), or split the probes over two boards',
    );
  }
  return refusals;
}

function checkChannel(
  o: OutputName,
  id: string,
  ch: Channel,
  loadW: number,
  kind: 'resistive' | 'compressor',
  lockedRotorA: number | undefined,
  mainsV: number,
  label: string,
  refuse: (key: string, rating: string, fix: string) => void,
): void {
  const name = `${label}'s ${id} (${ch.type === 'ssr' ? 'SSR' : 'relay'} on ${ch.pin}: ${ch.part})`;
  if (mainsV > ch.maxVac) {
    refuse(
      `board.mainsV`,
      `${mainsV} V mains on ${name}, rated for ${ch.maxVac} V AC`,
      'use a part rated for your mains voltage and declare it under board.custom.channels',
    );
  }
  if (kind === 'resistive') {
    const amps = loadW / mainsV;
    const limit = ch.type === 'ssr' ? Math.min(ch.continuousA, ch.ratedA) : ch.resistiveA;
    if (amps <= limit) return;
    const rating =
      ch.type === 'ssr'
        ? `${loadW} W at ${mainsV} V is ${a1(amps)}; ${name} carries ${limit} A continuously (its heat sink's limit at 100 % duty: the guard lets the ${WHAT[o]} run for hours)`
        : `${loadW} W at ${mainsV} V is ${a1(amps)}; ${name} is rated ${ch.resistiveA} A resistive`;
    const fix =
      ch.type === 'ssr'
        ? `use a ${WHAT[o]} of at most ${Math.floor(limit * mainsV)} W, or let this output drive a contactor rated at least ${a1(amps)} AC-1 (or fit a larger heat sink) and declare it under board.custom.channels`
        : `use the SSR channel if the board has one, a ${WHAT[o]} of at most ${Math.floor(limit * mainsV)} W, or add a contactor rated at least ${a1(amps)} AC-1 driven by this relay and declare it under board.custom.channels`;
    refuse(`outputs.${o}.loadW`, rating, fix);
    return;
  }
  // A compressor: a motor's starting current welds contacts not rated for it.
  const runningA = loadW / (mainsV * COMPRESSOR_POWER_FACTOR);
  const startA = lockedRotorA ?? runningA * INRUSH_FACTOR;
  const contactor = `add a contactor rated for motors (AC-3, at least ${a1(runningA)} running and ${a1(startA)} locked-rotor) driven by this output and declare it under board.custom.channels`;
  if (ch.type === 'ssr') {
    refuse(
      `outputs.${o}.kind`,
      `a compressor on ${name}: a zero-cross SSR is for resistive loads only`,
      `wire the compressor to a motor-rated relay channel, or ${contactor}`,
    );
    return;
  }
  if (ch.motor === null) {
    refuse(
      `outputs.${o}.kind`,
      `a compressor (${a1(startA)} at start) on ${name}, which has no motor rating: locked-rotor current welds such contacts`,
      `use a relay with a motor (HP) rating, or ${contactor}`,
    );
    return;
  }
  if (runningA > ch.motor.fullLoadA || startA > ch.motor.lockedRotorA) {
    refuse(
      `outputs.${o}.loadW`,
      `a ${loadW} W compressor runs at ${a1(runningA)} and starts at ${a1(startA)}${lockedRotorA === undefined ? ` (${INRUSH_FACTOR} × running; set outputs.${o}.lockedRotorA from its nameplate)` : ''}; ${name} is rated ${ch.motor.fullLoadA} A running and ${ch.motor.lockedRotorA} A locked-rotor`,
      contactor,
    );
  }
}

function profileLabel(r: ResolvedProfile): string {
  return r.modified ? `the custom board (based on ${r.reference.id})` : `the reference board ${r.profile.id}`;
}

export function formatRefusals(refusals: readonly Refusal[]): string {
  return refusals.map((r) => `  - ${r.fermenterId}: ${r.key}: ${r.rating}. Fix: ${r.fix}.`).join('\n');
}

/** Throws COBREW_ERR_BOARD_RATING listing every refusal of every fermenter, or returns when all fit. */
export function assertRatings(fermenters: readonly FermenterConfig[]): void {
  const refusals = fermenters.flatMap(checkRatings);
  if (refusals.length > 0) throw Object.assign(new BoardRatingError(formatRefusals(refusals)), { refusals });
}
