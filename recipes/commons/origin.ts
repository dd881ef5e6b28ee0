// Where recipes and people come from. A person of another space is always named `name@<space id>`, so that
// an imported author never merges with an account of this space, whatever name the bundle gives.

/** The origin of cobrew's living library, loaded by the code itself and by no bundle. */
export const LIBRARY_SPACE_ID = 'cobrew-library';

/** `name@space`; a name already qualified by that space keeps a single suffix. */
export function qualified(name: string, spaceId: string): string {
  const suffix = `@${spaceId}`;
  return name.endsWith(suffix) ? name : `${name}${suffix}`;
}
