// The production build of the `cobrew` command (`npm run build`, which `npm start`, the systemd unit and
// `npm run bench:scale` run): one ES module bundle instead of about 1,100 modules on disk, which saves a
// bridge on a Raspberry Pi memory for module source and code (docs/footprint.md). The parts a role does not
// run stay in chunks of their own, loaded by the dynamic imports that already keep them out (app/app.ts).
// Every file lands flat in dist/app/cli/, where the entry point has always been (installed systemd units
// name it), so that a worker is found beside whichever chunk starts it (history/sibling-worker.ts), and
// cobrew's files found from a module's own path (package.json, dist/web, firmware-bridge/firmware) are
// still found by walking up from there.
import { rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE_DIR = fileURLToPath(new URL('../dist/app/cli/', import.meta.url));

/** Bundle name → source. A worker's name is the one its starter gives `startSiblingWorker`. */
export const BUNDLE_ENTRIES = {
  main: 'app/cli/main.ts',
  'history-worker': 'history/worker.ts',
  'influx-worker': 'history/influx/worker.ts',
} as const;

/**
 * Left to node_modules: native addons (and the packages that load them), and packages that read files of
 * their own from beside their code (a bundle has no `__dirname` of theirs).
 */
export const EXTERNAL = [
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  '@stoprocent/noble',
  'unix-dgram',
  // Its static files (swagger-ui-dist's) are served from its own folder.
  '@fastify/swagger-ui',
  // Loaded only for a terminal, by a `require` of its own (app/log.ts).
  'pino-pretty',
  // It `import()`s the CommonJS `cookie`: bundled, that import would have a default export only, without
  // the named exports node finds in it.
  '@fastify/cookie',
];

/** Builds the bundle into `outdir` (emptied first) and returns esbuild's account of what went where. */
export async function bundle(outdir = BUNDLE_DIR): Promise<Metafile> {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: BUNDLE_ENTRIES,
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS dependencies `require` node's modules and the external packages: give the bundle a real one.
    banner: {
      js: "import { createRequire as __cobrewRequire } from 'node:module'; const require = __cobrewRequire(import.meta.url);",
    },
    // Whitespace only: 1.5 to 2.5 MB less heap for a bridge (module source), while a stack trace keeps every
    // name (its positions map back to the sources with `node --enable-source-maps`). Shortened identifiers
    // saved no memory on top of it.
    minifyWhitespace: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle();
}
