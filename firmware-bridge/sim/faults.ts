// Faults the simulator can act out, so the safety guard and the dashboard can be shown real failure modes.
import createError from '@fastify/error';
import { type Static, Type as T, type TProperties } from '@sinclair/typebox';
import { schemaChecker } from '../../common/schema-check.js';
import type { Outputs, Probe } from '../types.js';
import { DISCONNECTED_C, POWER_ON_C } from './ds18b20.js';

const ProbeName = T.Union([T.Literal('beer'), T.Literal('chamber'), T.Literal('ambient')]);
const variant = <K extends string, P extends TProperties>(kind: K, props: P) =>
  T.Object({ kind: T.Literal(kind), ...props }, { additionalProperties: false });

const VARIANTS = {
  /** The probe reads -127, as a driver reports a probe that does not answer. */
  'sensor-unplugged': variant('sensor-unplugged', { probe: ProbeName }),
  /** The probe reads 85, its power-on value, as after a brown-out on a long cable. */
  'sensor-power-on': variant('sensor-power-on', { probe: ProbeName }),
  /** The probe keeps answering with the reading it had when the fault began. */
  'sensor-stuck': variant('sensor-stuck', { probe: ProbeName }),
  /** Beer and chamber probes plugged into each other's place. */
  'probes-swapped': variant('probes-swapped', {}),
  /** Both beer and chamber read the same physical probe (a duplicated address in the config). */
  'probe-duplicated': variant('probe-duplicated', {
    source: T.Union([T.Literal('beer'), T.Literal('chamber')]),
  }),
  /** The relay contacts welded shut: the output stays on whatever is written. */
  'relay-welded': variant('relay-welded', { output: T.Union([T.Literal('heat'), T.Literal('cool')]) }),
  /**
   * A vessel heat wrap slipped off and now warms only the chamber air; a chamber heater fell to the floor
   * and still warms the air, but loses part of its heat into the liner.
   */
  'heater-detached': variant('heater-detached', {}),
  /** The compressor runs and draws power but moves no heat (lost refrigerant, failed valve). */
  'compressor-dead': variant('compressor-dead', {}),
  /** The door stands open: the chamber exchanges heat with the room directly. */
  'door-open': variant('door-open', {}),
  /** The room is deltaC warmer (or colder, if negative) than the configured or scripted ambient. */
  heatwave: variant('heatwave', { deltaC: T.Number({ minimum: -40, maximum: 40 }) }),
};

export type SimFaultKind = keyof typeof VARIANTS;
/** Any one fault, for schemas that carry faults (a scripted demo in cobrew.yaml). */
export const SimFaultSchema = T.Union(Object.values(VARIANTS));
export type SimFault = { [K in SimFaultKind]: Static<(typeof VARIANTS)[K]> }[SimFaultKind];
export const SIM_FAULT_KINDS = Object.keys(VARIANTS) as readonly SimFaultKind[];

export const UnknownFaultError = createError<'COBREW_ERR_UNKNOWN_FAULT', [string, string]>(
  'COBREW_ERR_UNKNOWN_FAULT',
  'Unknown simulator fault kind %s; use one of: %s',
);

const checkers = Object.fromEntries(
  SIM_FAULT_KINDS.map((k) => [k, schemaChecker(VARIANTS[k], `Simulator fault "${k}"`)]),
) as Record<SimFaultKind, (value: unknown) => SimFault>;

export function assertFaultKind(kind: unknown): asserts kind is SimFaultKind {
  if (typeof kind !== 'string' || !Object.hasOwn(VARIANTS, kind)) {
    throw new UnknownFaultError(JSON.stringify(kind) ?? String(kind), SIM_FAULT_KINDS.join(', '));
  }
}

/** Validate a fault from any caller: unknown kinds throw COBREW_ERR_UNKNOWN_FAULT, bad fields COBREW_ERR_INVALID. */
export function checkSimFault(value: unknown): SimFault {
  const kind = (value as { kind?: unknown } | null | undefined)?.kind;
  assertFaultKind(kind);
  return { ...checkers[kind](value) };
}

/** One fault of each kind and target at a time: injecting again replaces it (e.g. a new heatwave delta). */
function slot(f: SimFault): string {
  return `${f.kind}:${'probe' in f ? f.probe : 'output' in f ? f.output : ''}`;
}

/** The active faults and what they add up to, re-derived on every change so reads stay cheap. */
export class FaultState {
  #entries: Array<{ fault: SimFault; frozenC: number }> = [];
  welded: Outputs = { heat: false, cool: false };
  doorOpen = false;
  compressorDead = false;
  heaterDetached = false;
  heatwaveC = 0;
  #wiring: Record<Probe, Probe> = { beer: 'beer', chamber: 'chamber', ambient: 'ambient' };
  #override: Record<Probe, number | undefined> = { beer: undefined, chamber: undefined, ambient: undefined };

  list(): SimFault[] {
    return this.#entries.map((e) => ({ ...e.fault }));
  }

  /** frozenC: the probe's reading at injection, used by sensor-stuck. */
  add(fault: SimFault, frozenC = Number.NaN): void {
    const s = slot(fault);
    this.#entries = this.#entries.filter((e) => slot(e.fault) !== s);
    this.#entries.push({ fault, frozenC });
    this.#derive();
  }

  remove(kind?: SimFaultKind): void {
    this.#entries = kind === undefined ? [] : this.#entries.filter((e) => e.fault.kind !== kind);
    this.#derive();
  }

  /** Which physical probe answers for a frame slot. */
  wiredTo(slot: Probe): Probe {
    return this.#wiring[slot];
  }

  /** What a faulty physical probe reports instead of its measurement, if anything. */
  override(probe: Probe): number | undefined {
    return this.#override[probe];
  }

  #derive(): void {
    const welded = { heat: false, cool: false };
    const wiring: Record<Probe, Probe> = { beer: 'beer', chamber: 'chamber', ambient: 'ambient' };
    const unplugged = new Set<Probe>();
    const powerOn = new Set<Probe>();
    const stuck = new Map<Probe, number>();
    let duplicated: Probe | undefined;
    this.doorOpen = false;
    this.compressorDead = false;
    this.heaterDetached = false;
    this.heatwaveC = 0;
    for (const { fault: f, frozenC } of this.#entries) {
      switch (f.kind) {
        case 'sensor-unplugged':
          unplugged.add(f.probe);
          break;
        case 'sensor-power-on':
          powerOn.add(f.probe);
          break;
        case 'sensor-stuck':
          stuck.set(f.probe, frozenC);
          break;
        case 'probes-swapped':
          wiring.beer = 'chamber';
          wiring.chamber = 'beer';
          break;
        case 'probe-duplicated':
          duplicated = f.source;
          break;
        case 'relay-welded':
          welded[f.output] = true;
          break;
        case 'heater-detached':
          this.heaterDetached = true;
          break;
        case 'compressor-dead':
          this.compressorDead = true;
          break;
        case 'door-open':
          this.doorOpen = true;
          break;
        case 'heatwave':
          this.heatwaveC = f.deltaC;
          break;
      }
    }
    // A duplicated address wins over a swap: both slots end up on the one probe either way.
    if (duplicated !== undefined) wiring.beer = wiring.chamber = duplicated;
    this.welded = welded;
    this.#wiring = wiring;
    // A silent probe says nothing at all, so unplugged wins over power-on, which wins over stuck.
    for (const p of ['beer', 'chamber', 'ambient'] as const) {
      this.#override[p] = unplugged.has(p) ? DISCONNECTED_C : powerOn.has(p) ? POWER_ON_C : stuck.get(p);
    }
  }
}
