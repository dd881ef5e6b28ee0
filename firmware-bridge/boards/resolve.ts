// From a fermenter's `board:` to the profile in force: a reference profile as shipped, or a custom one
// (the reference it started from with the user's declared changes), with every deviation in words.
import type { CustomProfileConfig, RealBoardConfig } from '../config-schema.js';
import type { BoardIdentity } from '../drivers/driver.js';
import type { BoardProfile, Channel } from './profile-schema.js';
import { CUSTOM_PROFILE_ID, DEFAULT_PROFILE_ID, referenceProfile } from './profiles.js';

export interface ResolvedProfile {
  /** The profile id the configuration names: a reference id, or `custom`. */
  id: string;
  /** The reference design it is compared with. */
  reference: BoardProfile;
  /** What the board is taken to be: the reference, or the reference with the declared changes. */
  profile: BoardProfile;
  modified: boolean;
  /** Each difference from the reference, in words, e.g. "relay1 resistiveA 16 → 30". */
  deviations: string[];
}

export function resolveProfile(board: RealBoardConfig): ResolvedProfile {
  const base =
    board.profile === CUSTOM_PROFILE_ID ? (board.custom?.basedOn ?? DEFAULT_PROFILE_ID) : board.profile;
  const reference = referenceProfile(base) ?? (referenceProfile(DEFAULT_PROFILE_ID) as BoardProfile);
  if (board.profile !== CUSTOM_PROFILE_ID) {
    return { id: board.profile, reference, profile: reference, modified: false, deviations: [] };
  }
  const profile = applyCustom(reference, board.custom ?? { basedOn: reference.id });
  const deviations = describeDeviations(reference, profile);
  // A board declared custom is modified even when it declares nothing yet: that is what the person says.
  if (deviations.length === 0)
    deviations.push(`declared custom (based on ${reference.id}) with no change given`);
  return { id: CUSTOM_PROFILE_ID, reference, profile, modified: true, deviations };
}

function applyCustom(ref: BoardProfile, c: CustomProfileConfig): BoardProfile {
  return {
    ...ref,
    id: CUSTOM_PROFILE_ID,
    name: c.name ?? `custom board based on ${ref.id}`,
    reference: false,
    heaterCutOut: c.heaterCutOut ?? ref.heaterCutOut,
    supply: { ...ref.supply, ...c.supply },
    oneWire: { ...ref.oneWire, ...c.oneWire },
    channels: { ...ref.channels, ...c.channels },
    outputs: { ...ref.outputs, ...c.outputs },
  };
}

const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));

function describeDeviations(ref: BoardProfile, p: BoardProfile): string[] {
  const out: string[] = [];
  const field = (path: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) out.push(`${path}: ${show(a)} → ${show(b)}`);
  };
  if (ref.heaterCutOut && !p.heaterCutOut) {
    out.push(
      'heaterCutOut: no thermal cut-out in series with the heater: a shorted SSR or welded relay keeps heating and no fuse opens',
    );
  }
  field('supply.coilBudgetMA', ref.supply.coilBudgetMA, p.supply.coilBudgetMA);
  field('oneWire.maxSensors', ref.oneWire.maxSensors, p.oneWire.maxSensors);
  field('oneWire.maxCableM', ref.oneWire.maxCableM, p.oneWire.maxCableM);
  for (const [id, ch] of Object.entries(p.channels)) {
    const was: Channel | undefined = ref.channels[id];
    if (was === undefined) out.push(`channels.${id}: added (${ch.type} on ${ch.pin}: ${ch.part})`);
    else if (show(was) !== show(ch)) {
      for (const key of new Set([...Object.keys(was), ...Object.keys(ch)])) {
        field(
          `channels.${id}.${key}`,
          (was as Record<string, unknown>)[key],
          (ch as Record<string, unknown>)[key],
        );
      }
    }
  }
  field('outputs.heat', ref.outputs.heat, p.outputs.heat);
  field('outputs.cool', ref.outputs.cool, p.outputs.cool);
  return out;
}

/**
 * What the board itself says that departs from the configuration: a cobrew board reporting another
 * profile than the reference it is configured as.
 */
export function identityDeviations(board: RealBoardConfig, identity: BoardIdentity | null): string[] {
  if (identity === null || board.type !== 'cobrew' || board.profile === CUSTOM_PROFILE_ID) return [];
  return identity.profile === board.profile
    ? []
    : [`the board reports profile ${identity.profile}, the configuration says ${board.profile}`];
}
