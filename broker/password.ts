// Password hashes for MQTT users: scrypt, with the salt and cost parameters stored beside each hash so
// that the cost can be raised later without invalidating existing passwords.
import { createHash, pbkdf2, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { type Static, Type as T } from '@sinclair/typebox';

export const PasswordHashSchema = T.Object(
  {
    algorithm: T.Literal('scrypt'),
    // Bounded so that an edited file cannot make a login allocate gigabytes.
    N: T.Integer({ minimum: 1024, maximum: 1048576, description: 'CPU/memory cost, a power of two' }),
    r: T.Integer({ minimum: 1, maximum: 32 }),
    p: T.Integer({ minimum: 1, maximum: 16 }),
    salt: T.String({ minLength: 16, description: 'base64' }),
    hash: T.String({ minLength: 16, description: 'base64' }),
  },
  { additionalProperties: false },
);
export type PasswordHash = Static<typeof PasswordHashSchema>;

/** 32 MiB and about 0.1 s per login on a small machine: cheap for a broker, dear for a guesser. */
export const DEFAULT_COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const { N, r, p } = cost;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password this process has already checked against `hash`, or made it with: its own components'. */
export interface CheckedPassword {
  readonly password: string;
  readonly hash: PasswordHash;
}

/**
 * Whether `password` is the one already checked against this very stored hash: two SHA-256 digests compared
 * in constant time stand in for a second scrypt. Any other password, or a hash changed since, is for
 * verifyPassword.
 */
export function isCheckedPassword(password: string, stored: PasswordHash, checked: CheckedPassword): boolean {
  const h = checked.hash;
  const sameHash =
    h.salt === stored.salt &&
    h.hash === stored.hash &&
    h.N === stored.N &&
    h.r === stored.r &&
    h.p === stored.p;
  if (!sameHash) return false;
  const digest = (text: string) => createHash('sha256').update(text.normalize('NFC')).digest();
  return timingSafeEqual(digest(password), digest(checked.password));
}

/** A random password for cobrew's own components: 192 bits, URL-safe so it can sit in an mqtt:// URL. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Mosquitto 2's password-file hash, `$7$<iterations>$<salt>$<hash>`: PBKDF2-HMAC-SHA512 over a 12-byte
 * salt, 64 bytes out, both in standard base64, with mosquitto_passwd's default of 101 iterations
 * (apps/mosquitto_passwd and common/password_mosq.c of eclipse/mosquitto). Mosquitto cannot read scrypt, so
 * this is stored beside it whenever a password is set; it is what Mosquitto itself would write.
 */
export const MOSQUITTO_HASH_PATTERN = '^\\$7\\$[1-9][0-9]{0,6}\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==$';
export const MOSQUITTO_ITERATIONS = 101;

export function mosquittoHash(password: string, iterations = MOSQUITTO_ITERATIONS): Promise<string> {
  const salt = randomBytes(12);
  return new Promise((resolve, reject) =>
    // As given, not normalised: Mosquitto compares the bytes the client sends.
    pbkdf2(password, salt, iterations, 64, 'sha512', (err, key) =>
      err ? reject(err) : resolve(`$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`),
    ),
  );
}
