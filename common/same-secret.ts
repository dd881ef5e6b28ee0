// Comparing a presented secret (a token, a CSRF token, a signature) with the expected one in constant time:
// both go through a digest of fixed length first, so neither their content nor their length shows.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
