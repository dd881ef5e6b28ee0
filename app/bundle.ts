// The production build of the `cobrew` command (`npm run build`, which `npm start`, the systemd unit and
// `npm run bench:scale` run): one ES module bundle instead of about 1,100 modules on disk, which saves a
// bridge on a Raspberry Pi memory for module source and code (docs/footprint.md). The parts a role does not
// run stay in chunks of their own, loaded by the dynamic imports that already keep them out (app/app.ts).
// Every file lands flat in dist/app/cli/, where the entry point has always been (installed systemd units
// name it), so that a worker is found beside whichever chunk starts it (history/sibling-worker.ts), and
// cobrew's files found from a module's own path (package.json, dist/web, firmware-bridge/firmware) are
// still found by walking up from there.
import { readFile, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE_DIR = fileURLToPath(new URL('../dist/app/cli/', import.meta.url));

/** Bundle name → source. A worker's name is the one its starter gives `startSiblingWorker`. */
export const BUNDLE_ENTRIES = {
  main: 'app/cli/main.ts',
  'history-worker': 'history/worker.ts',
  'influx-worker': 'history/influx/worker.ts',
} as const;

/** Left to node_modules: native addons and the packages that load them, and one that cannot be bundled. */
export const EXTERNAL = [
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  '@stoprocent/noble',
  'unix-dgram',
  // It `import()`s the CommonJS `cookie`: bundled, that import would have a default export only, without
  // the named exports node finds in it.
  '@fastify/cookie',
];

/**
 * A bundled package that finds its own files through `__dirname` or `__filename` (swagger-ui's page and
 * scripts, @fastify/swagger's package.json) gets those of its file in node_modules, which ships beside dist/.
 */
function ownPaths(outdir: string): Plugin {
  return {
    name: 'own-paths',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!/\b__(?:dirname|filename)\b/.test(text)) return undefined;
        const file = JSON.stringify(relative(ROOT, args.path));
        return {
          contents: `var __filename = __cobrewRoot(${file}), __dirname = __cobrewRoot(${file}, '..');\n${text}`,
          loader: 'js',
        };
      });
      // Every chunk gets the project's root, found from the chunk itself, and a `require` of its own.
      const root = JSON.stringify(`${relative(outdir, ROOT)}/`);
      b.initialOptions.banner = {
        js: [
          "import { createRequire as __cobrewRequire } from 'node:module';",
          "import { resolve as __cobrewResolve } from 'node:path';",
          "import { fileURLToPath as __cobrewPath } from 'node:url';",
          'const require = __cobrewRequire(import.meta.url);',
          `const __cobrewRoot = (...p) => __cobrewResolve(__cobrewPath(new URL(${root}, import.meta.url)), ...p);`,
        ].join(' '),
      };
    },
  };
}

/** Builds the bundle into `outdir`, emptied first. */
export async function bundle(outdir = BUNDLE_DIR): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await build({
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
    // mqtt.js's client requires worker-timers for browsers' background tabs and uses node's own timers in
    // node: those stand in for it, rather than the package and @babel/runtime's helpers it loads.
    alias: { 'worker-timers': 'node:timers' },
    // CommonJS dependencies `require` node's modules and the external packages: the banner gives them a
    // real `require` (ownPaths).
    plugins: [ownPaths(outdir)],
    // Whitespace only: 1.5 to 2.5 MB less heap for a bridge (module source), while a stack trace keeps every
    // name (its positions map back to the sources with `node --enable-source-maps`). Shortened identifiers
    // saved no memory on top of it.
    minifyWhitespace: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle();
}
