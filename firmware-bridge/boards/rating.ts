// The rating check: does what a fermenter's outputs switch fit the board's profile? Pure, and the one
// function that start, `cobrew config check` and any reload path call before a real board is driven.
import type { FermenterConfig, LoadKind, RealBoardConfig } from '../config-schema.js';
import type { OutputName } from '../types.js';
import { compressorFloorRefusals } from './compressor-floors.js';
import { BoardRatingError } from './errors.js';
import type { BoardProfile, Channel, Relay, Ssr } from './profile-schema.js';
import { type ResolvedProfile, resolveProfile } from './resolve.js';

/** A small compressor's power factor is 0.6–0.8; 0.7 puts its running current on the high side. */
export const COMPRESSOR_POWER_FACTOR = 0.7;
/** A compressor starts at 5–8 × its running current; without a nameplate LRA the worst case is assumed. */
export const INRUSH_FACTOR = 8;
/** A cold tungsten filament has a tenth of its hot resistance or less: 10–15 × at switch-on, the worst taken. */
export const LAMP_INRUSH_FACTOR = 15;
/** A small switched-mode supply without power-factor correction runs at a power factor of 0.5–0.65. */
export const SUPPLY_POWER_FACTOR = 0.6;
/** Its input capacitors' charging surge, typical of small supplies' datasheets ("cold start 60 A at 230 V"). */
export const SUPPLY_INRUSH_A_AT_230V = 60;
/** An SSR switching an inrush at every start is kept to half its one-cycle surge rating (ITSM). */
export const SSR_SURGE_SHARE = 0.5;

export interface Refusal {
  fermenterId: string;
  /** The configuration key at fault, e.g. outputs.heat.loadW. */
  key: string;
  /** The rating that is exceeded, in words. */
  rating: string;
  /** What to do about it. */
  fix: string;
}

type Refuse = (key: string, rating: string, fix: string) => void;

const OUTPUTS: readonly OutputName[] = ['heat', 'cool'];
const WHAT: Record<OutputName, string> = { heat: 'heater', cool: 'cooler' };
const LOAD: Record<LoadKind, string> = {
  resistive: 'load',
  compressor: 'compressor',
  lamp: 'lamp',
  'power-supply': 'power supply',
};
const a1 = (x: number) => `${(Math.round(x * 10) / 10).toFixed(1)} A`;

export function isRealBoard(board: FermenterConfig['board']): board is RealBoardConfig {
  return board.type !== 'sim';
}

/** Boards whose own firmware never drives heat and cool together; on others the supply must take both. */
function boardInterlock(board: RealBoardConfig): boolean {
  return board.type === 'cobrew' || board.type === 'brewpi';
}

/**
 * What an SSR carries at 100 % duty with the heat sink fitted: its case may rise from the air around it to
 * its highest case temperature, shedding dropV watts per ampere through the heat sink (or its bare body).
 */
export function ssrContinuousA(ssr: Ssr): number {
  const cPerW = ssr.heatSink === 'none' ? ssr.caseToAirCPerW : ssr.heatSink.cPerW;
  const byHeat = Math.max(0, ssr.maxCaseC - ssr.ambientC) / (ssr.dropV * cPerW);
  return Math.min(ssr.ratedA, byHeat);
}

/** Every refusal for one fermenter; empty when its board is simulated or the set-up fits. */
export function checkRatings(config: FermenterConfig): Refusal[] {
  const board = config.board;
  if (!isRealBoard(board)) return [];
  const refusals: Refusal[] = [];
  const refuse: Refuse = (key, rating, fix) => refusals.push({ fermenterId: config.id, key, rating, fix });

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

  const coilMA: Record<OutputName, number> = { heat: 0, cool: 0 };
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
      if (ch.type === 'relay') {
        coilMA[o] += ch.coilMA;
        checkCoilDrive(id, ch, profile, label, refuse);
      }
      if (out.loadW === undefined) continue;
      checkChannel(o, id, ch, out, board.mainsV, label, refuse);
    }
    if (out.loadW === undefined) {
      refuse(
        `outputs.${o}.loadW`,
        `the ${WHAT[o]}'s power is not given, so it cannot be checked against ${label}`,
        `set outputs.${o}.loadW to the ${WHAT[o]}'s nameplate watts`,
      );
    }
  }

  const together = boardInterlock(board) ? Math.max(coilMA.heat, coilMA.cool) : coilMA.heat + coilMA.cool;
  const budget = profile.supply.coilBudgetMA;
  if (together > budget) {
    const why = boardInterlock(board)
      ? 'one output'
      : `heat and cool together (a ${board.type} board does not itself stop both being on)`;
    refuse(
      'board.profile',
      `${together} mA of relay coils energised at once by ${why}, on a coil budget of ${budget} mA for ${label}'s ${profile.supply.volts} V supply`,
      'give the relays their own supply (a relay module with a separate JD-VCC supply: declare its coilMA 0) and ' +
        'declare the budget under board.custom.supply.coilBudgetMA, or switch fewer relays per output',
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

/** A coil straight on a pin must draw no more than the pin gives. */
function checkCoilDrive(id: string, ch: Relay, profile: BoardProfile, label: string, refuse: Refuse): void {
  const { recommended, absolute } = profile.pinMA;
  if (ch.coilDrive !== 'pin' || ch.coilMA <= recommended) return;
  refuse(
    `board.custom.channels.${id}.coilDrive`,
    `${label}'s ${id} coil draws ${ch.coilMA} mA straight from pin ${ch.pin}, which gives ${recommended} mA (${absolute} mA absolute maximum${ch.coilMA > absolute ? ', exceeded: the pin burns' : ': the pin overheats and its voltage sags'})`,
    'drive the coil through a transistor with a flyback diode (an NPN such as a BC337 and a 1N4148), or use a ' +
      'relay module with its own driver, and declare coilDrive: transistor or module',
  );
}

function checkChannel(
  o: OutputName,
  id: string,
  ch: Channel,
  out: FermenterConfig['outputs'][OutputName],
  mainsV: number,
  label: string,
  refuse: Refuse,
): void {
  const loadW = out.loadW ?? 0;
  const kind = out.kind;
  const name = `${label}'s ${id} (${ch.type === 'ssr' ? 'SSR' : 'relay'} on ${ch.pin}: ${ch.part})`;
  if (mainsV > ch.maxVac) {
    refuse(
      `board.mainsV`,
      `${mainsV} V mains on ${name}, rated for ${ch.maxVac} V AC`,
      'use a part rated for your mains voltage and declare it under board.custom.channels',
    );
  }
  if (kind === 'compressor') {
    checkCompressor(o, ch, name, loadW, out.lockedRotorA, mainsV, refuse);
    return;
  }
  const what = kind === 'resistive' ? WHAT[o] : LOAD[kind];
  const amps = loadW / (mainsV * (kind === 'power-supply' ? SUPPLY_POWER_FACTOR : 1));
  const limit = ch.type === 'ssr' ? ssrContinuousA(ch) : ch.resistiveA;
  const running = `${loadW} W at ${mainsV} V is ${a1(amps)}${kind === 'power-supply' ? ` (power factor ${SUPPLY_POWER_FACTOR})` : ''}`;
  if (amps > limit) {
    const rating =
      ch.type === 'ssr'
        ? `${running}; ${name} carries ${a1(limit)} continuously (${ssrWhy(ch)}; the guard lets the ${WHAT[o]} run for hours, so 100 % duty)`
        : `${running}; ${name} is rated ${ch.resistiveA} A resistive`;
    const fix =
      ch.type === 'ssr'
        ? `use a ${what} of at most ${Math.floor(limit * mainsV * (kind === 'power-supply' ? SUPPLY_POWER_FACTOR : 1))} W, fit a heat sink of at most ${sinkFor(ch, amps)} °C/W (declare it under board.custom.channels.${id}.heatSink), or let this output drive a contactor rated at least ${a1(amps)} AC-1`
        : `use the SSR channel if the board has one, a ${what} of at most ${Math.floor(limit * mainsV)} W, or add a contactor rated at least ${a1(amps)} AC-1 driven by this relay and declare it under board.custom.channels`;
    refuse(`outputs.${o}.loadW`, rating, fix);
  }
  if (kind === 'lamp' || kind === 'power-supply')
    checkInrush(o, id, ch, name, kind, amps, out, mainsV, refuse);
}

/** Why an SSR carries what it does, in words. */
function ssrWhy(ch: Ssr): string {
  const sink =
    ch.heatSink === 'none'
      ? `no heat sink: its bare body sheds ${ch.caseToAirCPerW} °C/W`
      : `its ${ch.heatSink.cPerW} °C/W heat sink`;
  return `${sink}, ${ch.dropV} V dropped per ampere, ${ch.ambientC} °C air and ${ch.maxCaseC} °C case at most${ssrContinuousA(ch) >= ch.ratedA ? `, capped at its ${ch.ratedA} A rating` : ''}`;
}

/** The largest heat-sink thermal resistance that would carry `amps`, one decimal, rounded down. */
function sinkFor(ch: Ssr, amps: number): string {
  const cPerW = (ch.maxCaseC - ch.ambientC) / (ch.dropV * amps);
  return (Math.floor(cPerW * 10) / 10).toFixed(1);
}

/** A lamp's cold filament or a supply's capacitors draw a surge at every switch-on. */
function checkInrush(
  o: OutputName,
  id: string,
  ch: Channel,
  name: string,
  kind: 'lamp' | 'power-supply',
  runningA: number,
  out: FermenterConfig['outputs'][OutputName],
  mainsV: number,
  refuse: Refuse,
): void {
  const estimate = kind === 'lamp' ? runningA * LAMP_INRUSH_FACTOR : (SUPPLY_INRUSH_A_AT_230V * mainsV) / 230;
  const inrushA = out.inrushA ?? estimate;
  const how =
    out.inrushA !== undefined
      ? 'as declared'
      : kind === 'lamp'
        ? `${LAMP_INRUSH_FACTOR} × running: a cold filament; set outputs.${o}.inrushA from the lamp's datasheet`
        : `a small supply's capacitor surge at ${mainsV} V; set outputs.${o}.inrushA from the supply's datasheet`;
  const surge = `a ${LOAD[kind]} that draws ${a1(inrushA)} at switch-on (${how})`;
  if (ch.type === 'ssr') {
    const allowed = ch.surgeA * SSR_SURGE_SHARE;
    if (inrushA <= allowed) return;
    refuse(
      `outputs.${o}.kind`,
      `${surge}; ${name} takes ${a1(allowed)} at every switch-on (half its ${ch.surgeA} A one-cycle surge rating)`,
      `use an SSR with a one-cycle surge rating of at least ${a1(inrushA / SSR_SURGE_SHARE)} and declare it under board.custom.channels.${id}, or a smaller ${LOAD[kind]}`,
    );
    return;
  }
  const allowed = ch.inrushA ?? ch.motor?.lockedRotorA;
  if (allowed !== undefined && inrushA <= allowed) return;
  refuse(
    `outputs.${o}.kind`,
    allowed === undefined
      ? `${surge}; ${name} has no inrush or motor rating, and contacts that make a surge they are not rated for weld`
      : `${surge}; ${name} makes ${a1(allowed)} at most (its ${ch.inrushA !== undefined ? 'inrush' : 'locked-rotor'} rating)`,
    `use a relay rated to make at least ${a1(inrushA)} (lamp or capacitive-load rating: declare inrushA under board.custom.channels.${id}), or the SSR channel`,
  );
}

function checkCompressor(
  o: OutputName,
  ch: Channel,
  name: string,
  loadW: number,
  lockedRotorA: number | undefined,
  mainsV: number,
  refuse: Refuse,
): void {
  // A motor's starting current welds contacts not rated for it.
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
