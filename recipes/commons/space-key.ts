// This space's signing key: an Ed25519 key pair made at first start and kept owner-only in the data dir
// (space-key.pem). Bundles are signed with it, and its public half names the space: the space id is the
// start of the key's SHA-256, so no one can claim an id without holding its key.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY_FILE, ownerOnlyDir, ownerOnlyFile } from '../../common/owner-only.js';
import { SpaceKeyInvalidError } from './errors.js';

export const SPACE_KEY_FILE = 'space-key.pem';

/** A raw Ed25519 public key, base64url (32 bytes). */
export const PUBLIC_KEY_PATTERN = '^[A-Za-z0-9_-]{43}$';
/** A space id: 20 hex digits of the public key's SHA-256. */
export const SPACE_ID_PATTERN = '^[0-9a-f]{20}$';

export interface SpaceKey {
  id: string;
  publicKey: string;
  privateKey: KeyObject;
}

/** The id a public key names. */
export function spaceIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 20);
}

function fromPrivate(privateKey: KeyObject): SpaceKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = jwk.x as string;
  return { id: spaceIdOf(publicKey), publicKey, privateKey };
}

/** A fresh key, kept in memory (a store opened on ':memory:'). */
export function generateSpaceKey(): SpaceKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The key of the data dir, made on first use. Written whole under a temporary name, then linked into place:
 * when two processes start at once, the first link wins and the other reads that key.
 */
export function loadOrCreateSpaceKey(dataDir: string): SpaceKey {
  const file = join(dataDir, SPACE_KEY_FILE);
  if (!existsSync(file)) {
    ownerOnlyDir(dataDir);
    const { privateKey } = generateKeyPairSync('ed25519');
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', OWNER_ONLY_FILE);
    try {
      writeSync(fd, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    ownerOnlyFile(tmp);
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  try {
    const key = createPrivateKey(readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it holds a ${key.asymmetricKeyType} key`);
    return fromPrivate(key);
  } catch (err) {
    throw new SpaceKeyInvalidError(file, (err as Error).message);
  }
}

export function signBytes(key: SpaceKey, bytes: Buffer): string {
  return sign(null, bytes, key.privateKey).toString('base64url');
}

/** True when `signature` is `publicKey`'s over `bytes`; false for any malformed key or signature. */
export function verifyBytes(publicKey: string, bytes: Buffer, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, bytes, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
