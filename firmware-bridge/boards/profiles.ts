// The reference board profiles (data files in profiles/), checked against their schema when loaded.
import { schemaChecker } from '../../common/schema-check.js';
import { type BoardProfile, BoardProfileSchema } from './profile-schema.js';
import refUnoR1 from './profiles/ref-uno-r1.json' with { type: 'json' };
import unoNoFailsafe from './profiles/uno-no-failsafe.json' with { type: 'json' };

const checkProfile = schemaChecker(BoardProfileSchema, 'Board profile');

/**
 * Every shipped profile by id; the first is the one boards are compared with by default. `reference: false`
 * marks one that is not a reference design (uno-no-failsafe: the reference's parts on firmware without a
 * board failsafe, the default of Firmata boards).
 */
export const REFERENCE_PROFILES: ReadonlyMap<string, BoardProfile> = new Map(
  [refUnoR1, unoNoFailsafe].map((raw) => {
    const p = checkProfile(structuredClone(raw));
    return [p.id, Object.freeze(p)];
  }),
);

export const DEFAULT_PROFILE_ID = 'ref-uno-r1';
/** Firmata boards' default: the reference parts, and plainly no board failsafe. */
export const NO_FAILSAFE_PROFILE_ID = 'uno-no-failsafe';
export const CUSTOM_PROFILE_ID = 'custom';
export const PROFILE_IDS = [...REFERENCE_PROFILES.keys(), CUSTOM_PROFILE_ID] as const;

export function referenceProfile(id: string): BoardProfile | undefined {
  return REFERENCE_PROFILES.get(id);
}
