// The spaces this one trusts (cobrew.yaml's commons.trustedSpaces): each named by its id and public key, as
// `cobrew commons identity` prints them there. A trusted space's bundle may pass on recipes and brew logs
// made in other spaces; any space's signed bundle may bring its own.
import { type Static, Type as T } from '@sinclair/typebox';
import { TrustedSpaceInvalidError } from './errors.js';
import { PUBLIC_KEY_PATTERN, SPACE_ID_PATTERN, spaceIdOf } from './space-key.js';

export const TrustedSpaceSchema = T.Object(
  {
    id: T.String({ pattern: SPACE_ID_PATTERN, description: 'The space id, e.g. 3f0c5a9e1b7d24c6a8e0' }),
    publicKey: T.String({ pattern: PUBLIC_KEY_PATTERN, description: 'Its Ed25519 public key, base64url' }),
    name: T.Optional(T.String({ minLength: 1, maxLength: 200, description: 'For people reading the file' })),
  },
  { additionalProperties: false },
);
export type TrustedSpace = Static<typeof TrustedSpaceSchema>;

/** Throws COBREW_ERR_TRUSTED_SPACE_INVALID for an entry whose id is not the one its key names. */
export function checkTrustedSpaces(list: readonly TrustedSpace[]): void {
  for (const [i, s] of list.entries()) {
    if (spaceIdOf(s.publicKey) !== s.id) {
      throw new TrustedSpaceInvalidError(
        `entry ${i + 1} gives id ${s.id}, but its publicKey is the key of ${spaceIdOf(s.publicKey)}`,
        s.name ?? s.id,
      );
    }
  }
}

export function isTrusted(list: readonly TrustedSpace[], signer: { id: string; publicKey: string }): boolean {
  return list.some((s) => s.id === signer.id && s.publicKey === signer.publicKey);
}
