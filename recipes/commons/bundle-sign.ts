// Bundle signatures: Ed25519 by the exporting space over the canonical form of everything but the signature
// (keys sorted at every level, no spaces), so that re-indenting a file keeps it valid and changing any value
// breaks it. The signed bytes start with the format and version, so a signature cannot be moved elsewhere.
import { BundleInvalidError, BundleSignatureError } from './errors.js';
import { type SpaceKey, signBytes, spaceIdOf, verifyBytes } from './space-key.js';

/** Deeper than any BeerJSON document: the canonical form is built by recursion. */
const MAX_DEPTH = 64;

class TooDeep extends Error {}

/** JSON with object keys sorted (UTF-16 order) at every level. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the signature needs of a bundle (bundle.ts has the whole shape). */
interface Signable {
  format: string;
  formatVersion: number;
  space: { id: string; name: string; publicKey: string };
}

function signedBytes(content: Signable, what: string): Buffer {
  try {
    return Buffer.from(`${content.format} ${content.formatVersion}\n${canonicalJson(content)}`, 'utf8');
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    throw new BundleInvalidError(what, `  - it nests deeper than ${MAX_DEPTH} levels`);
  }
}

export function signBundle<T extends Signable>(content: T, key: SpaceKey): T & { signature: string } {
  return { ...content, signature: signBytes(key, signedBytes(content, 'this bundle')) };
}

/** Throws COBREW_ERR_BUNDLE_SIGNATURE unless the bundle is signed by the key of the space it names. */
export function verifyBundle(bundle: Signable & { signature: string }, what: string): void {
  const { signature, ...content } = bundle;
  if (spaceIdOf(bundle.space.publicKey) !== bundle.space.id) {
    throw new BundleSignatureError(
      what,
      `space id ${bundle.space.id} is not the id of the public key it gives (${spaceIdOf(bundle.space.publicKey)})`,
    );
  }
  if (!verifyBytes(bundle.space.publicKey, signedBytes(content, what), signature)) {
    throw new BundleSignatureError(
      what,
      `its signature does not match its content and the key of ${bundle.space.name} (${bundle.space.id}); it was changed after export, or signed by another key`,
    );
  }
}
