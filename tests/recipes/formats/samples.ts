// The BeerJSON project's schema and sample files (tests/fixtures/beerjson, copied unchanged from upstream):
// test data written by other people, used exactly as they are.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BEERJSON_DIR = resolve(ROOT, 'tests/fixtures/beerjson');

export interface SampleFile {
  name: string;
  path: string;
  bytes: Buffer;
}

/** Every file of samples/<kind>, sorted by name. */
export function samples(kind: 'real' | 'converted' | 'beerxml'): SampleFile[] {
  const dir = join(BEERJSON_DIR, 'samples', kind);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, path: join(dir, name), bytes: readFileSync(join(dir, name)) }));
}

export function sample(kind: 'real' | 'converted' | 'beerxml', name: string): SampleFile {
  const found = samples(kind).find((s) => s.name === name);
  if (found === undefined) throw new Error(`no sample ${kind}/${name}`);
  return found;
}
