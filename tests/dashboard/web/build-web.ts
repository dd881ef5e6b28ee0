// vitest globalSetup: browser tests and the latency benchmark need the built front-end (dist/web), the
// same build `npm start` serves. It is rebuilt when missing or older than any of its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCES = join(ROOT, 'dashboard', 'web');
const BUILT = join(ROOT, 'dist', 'web', 'index.html');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    s.mtimeMs,
  );
}

export function webBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const inputs = Math.max(newestMtime(SOURCES), statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  return inputs > statSync(BUILT).mtimeMs;
}

export async function ensureWebBuilt(): Promise<void> {
  if (webBuildIsStale()) await build({ configFile: join(SOURCES, 'vite.config.ts'), logLevel: 'warn' });
}

export default ensureWebBuilt;
