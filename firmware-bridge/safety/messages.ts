// What each incident tells a person: what happened, what it means, what to check.
import type { OutputName, Probe } from '../types.js';
import { degC, deltaC, duration, OUTPUT_NAME, PROBE_NAME } from './format.js';
import type { AirHeatFinding } from './rules/air-heat.js';
import type { BrownOutFinding } from './rules/brown-out-chatter.js';
import type { SampleFault } from './rules/plausibility.js';
import type { RelayStuckFinding } from './rules/relay-stuck.js';
import type { NoEffectFinding } from './rules/runaway.js';
import type { SwapFinding } from './rules/swapped.js';

/** What a room-probe fault means for control: the room probe only informs, so nothing stops. */
export const ROOM_ONLY =
  'Control carries on without it; the welded-relay check falls back on the beer temperature meanwhile.';

export function sensorFault(
  p: Probe,
  fault: SampleFault,
  raw: number,
  range: { minC: number; maxC: number },
  previousC: number,
  then: string,
): string {
  const the = `The ${PROBE_NAME[p]}`;
  switch (fault) {
    case 'disconnected':
      return `${the} reads ${degC(raw)}: it is unplugged or its wire is broken. ${then} Check the probe and its connector.`;
    case 'power-on':
      return (
        `${the} reads exactly ${degC(raw)}, the value a DS18B20 reports after losing power: its supply is ` +
        `dropping out. ${then} Check the probe's power wire and connector, and keep relay and compressor wiring ` +
        'away from the probe cable.'
      );
    case 'range':
      return (
        `${the} reads ${degC(raw)}, outside the plausible ${degC(range.minC)} to ${degC(range.maxC)}. ${then} ` +
        'If the temperature is real, deal with it first; otherwise check the probe, its wiring and its ' +
        'calibration offset.'
      );
    case 'jump':
      return (
        `${the} jumped from ${degC(previousC)} to ${degC(raw)}, faster than anything in a fermenter can change. ` +
        `${then} Check the probe for a loose contact and its cable for interference from relay or mains wiring.`
      );
  }
}

/** `ageMs` NaN: the probe has never answered. */
export function stale(p: Probe, ageMs: number, staleMs: number, then: string): string {
  const age = Number.isNaN(ageMs) ? 'since control started' : `for ${duration(ageMs)}`;
  return (
    `No fresh reading has come from the ${PROBE_NAME[p]} ${age} (allowed: ${duration(staleMs)}). ${then} ` +
    'Check that the board is connected and running and that the probe is wired to it.'
  );
}

export function overTemperature(p: Probe, value: number, limitC: number, then: string): string {
  return (
    `The ${p} reads ${degC(value)}, above the ${degC(limitC)} cut-off. ${then} Check whether a heater is ` +
    `stuck on or a probe has fallen out of place; the trip can be cleared once it reads ${degC(limitC)} or less.`
  );
}

export function stuck(p: Probe, value: number, drivenMs: number, then: string): string {
  return (
    `The ${PROBE_NAME[p]} has read exactly ${degC(value)} through ${duration(drivenMs)} in which heating or ` +
    `cooling should have moved it: it has stopped measuring. ${then} Check the probe and its wiring, and ` +
    'that the board reports fresh conversions.'
  );
}

export function identical(
  beerC: number,
  chamberC: number,
  runningMs: number,
  toleranceC: number,
  then: string,
) {
  return (
    `The beer probe (${degC(beerC)}) and the chamber probe (${degC(chamberC)}) have read the same, within ` +
    `${deltaC(toleranceC)}, through ${duration(runningMs)} of heating or cooling, although running outputs ` +
    `pull the chamber air away from the beer. Both settings probably name the same probe, or the chamber ` +
    `probe sits in or on the beer. ${then} Check the probe addresses in the settings and where each probe is.`
  );
}

export function swapped(o: OutputName, f: SwapFinding, then: string): string {
  return (
    `While ${o === 'cool' ? 'cooling' : 'heating'}, the beer probe moved ${deltaC(f.beerMovedC)} but the ` +
    `chamber probe at most ${deltaC(f.chamberMovedC)}. Chamber air always moves faster than the beer, so the ` +
    `two probes are in each other's place. ${then} Swap the probes (or their addresses in the settings).`
  );
}

export function noEffect(
  o: OutputName,
  p: Probe,
  f: NoEffectFinding,
  minDeltaC: number,
  then: string,
): string {
  const rise = o === 'heat';
  const what = p === 'beer' ? 'the beer' : 'the chamber';
  const cause = rise
    ? 'The heater may be dead, unplugged or detached, or its relay is not switching'
    : 'The door may be open, or the compressor is not running or has lost its refrigerant';
  return (
    `The ${OUTPUT_NAME[o]} has run for ${duration(f.afterMs)}, yet ${what} went from ${degC(f.fromC)} to ` +
    `${degC(f.toC)} (it should have ${rise ? 'risen' : 'fallen'} by at least ${deltaC(minDeltaC)}). ${cause}; ` +
    `or the ${PROBE_NAME[p]} is not where it should be. ${then} Check the equipment and the probe placement.`
  );
}

export function heatIntoAir(f: AirHeatFinding, then: string): string {
  return (
    `The heater has run for ${duration(f.afterMs)}: the chamber air went from ${degC(f.chamberFromC)} to ` +
    `${degC(f.chamberToC)}, the beer only from ${degC(f.beerFromC)} to ${degC(f.beerToC)}. The heat is going ` +
    `into the air, not the beer: the heat wrap may have come off the fermenter. ${then} Check the wrap before ` +
    'clearing, and that the beer probe is in the beer.'
  );
}

export function relayStuck(o: OutputName, f: RelayStuckFinding, marginC: number): string {
  const cool = o === 'cool';
  return (
    `${cool ? 'Cooling' : 'Heating'} is switched off, but the chamber kept ${cool ? 'falling' : 'rising'} ` +
    `from ${degC(f.fromC)} to ${degC(f.toC)} over ${duration(f.overMs)} and is more than ${deltaC(marginC)} ` +
    `${cool ? 'below' : 'above'} both room and beer (${degC(f.referenceC)}): the ` +
    `${cool ? 'compressor' : 'heater'} is still powered, almost certainly through a welded relay. This guard ` +
    `cannot switch a welded relay off. Unplug the ${cool ? 'fridge' : 'heater'} at the wall now and replace ` +
    'the relay. Every other output is held off until a person clears this alarm.'
  );
}

export function maxOnTime(o: OutputName, maxOnMs: number, minOffMs: number): string {
  return (
    `The ${OUTPUT_NAME[o]} ran for ${duration(maxOnMs)} without a break, the longest allowed, and was switched ` +
    `off for ${duration(minOffMs)}; it may then run again. It cannot keep up: check for an open door, a ` +
    `${o === 'heat' ? 'heater too small for a cold room' : 'fridge too small for a warm room'}, or a probe out ` +
    'of place.'
  );
}

export function forcedSafe(reason: string): string {
  return (
    `Every output was switched off at once, without waiting for minimum run times: ${reason}. If this was not ` +
    'a planned shutdown, check the host and its connection to the board.'
  );
}

export function brownOutChatter(f: BrownOutFinding): string {
  const each = f.resets.map((r) => `${duration(r.afterSwitchMs)} (${r.cause})`).join(', ');
  return (
    `The board reset ${f.resets.length} times, each right after the ${OUTPUT_NAME[f.output]} switched on ` +
    `(${each} after the switch-on): the relay coil pulling in browns the board's supply out, so the relay ` +
    'chatters under load and its contacts arc until they weld. Every output is off until a person clears ' +
    "the trip. Check the relay's contacts, give the coils their own supply or a stronger one (count the " +
    "coil current against the supply's budget, docs/boards.md), and set the brown-out level to 4.3 V."
  );
}
