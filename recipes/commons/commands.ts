// `cobrew pot split`, `cobrew ledger export` and `cobrew commons export|import`: the commons on the command
// line. The caller (app/cli/main.ts) says how to open the store of a data dir.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { stringify } from 'yaml';
import { ledgerCsv, ledgerJson } from '../ledger/export.js';
import { splitRecipePot, splitText } from '../ledger/recipe-split.js';
import { exportBundle } from './bundle.js';
import { type ImportReport, importBundle } from './bundle-import.js';
import { BundleInvalidError } from './errors.js';
import type { CommonsStore } from './store.js';
import { SPACE_VIEWER } from './types.js';

/** Bundles past this size are refused before reading: a space's public recipes are a few megabytes. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface CommonsCommandDeps<F> {
  /** Adds the options that locate the data dir (--data-dir, --config) to a command. */
  withStoreOptions(cmd: Command): Command;
  /** Opens the commons store those options name; the command closes it. */
  openStore(flags: F): Promise<CommonsStore>;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

async function withStore<F, T>(
  deps: CommonsCommandDeps<F>,
  flags: F,
  use: (s: CommonsStore) => T,
): Promise<T> {
  const store = await deps.openStore(flags);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

export async function readBundleFile(path: string): Promise<unknown> {
  const { size } = await stat(path);
  if (size > MAX_BUNDLE_BYTES) {
    throw new BundleInvalidError(path, `  - it is ${size} bytes, more than ${MAX_BUNDLE_BYTES}`);
  }
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new BundleInvalidError(path, `  - it is not JSON (${(err as Error).message})`);
  }
}

function reportText(r: ImportReport): string {
  const line = (what: string, n: { added: number; known: number }) =>
    `${what}: ${n.added} added, ${n.known} already here`;
  return `${[line('recipes', r.recipes), line('versions', r.versions), line('brew logs', r.brewLogs)].join('; ')}\n`;
}

export function addCommonsCommands<F extends object>(program: Command, deps: CommonsCommandDeps<F>): void {
  const out = deps.out ?? ((t: string) => process.stdout.write(t));
  const err = deps.err ?? ((t: string) => process.stderr.write(t));

  const pot = program.command('pot').description("share money among a recipe lineage's contributors");
  deps
    .withStoreOptions(
      pot
        .command('split')
        .description('split an amount by the ledger rules along the recipe lineage, explained line by line')
        .requiredOption('--recipe <id>', 'the recipe')
        .requiredOption('--amount <amount>', 'the amount, at most two decimals, e.g. 100.00')
        .option('--version <n>', 'a version of the recipe (the latest by default)')
        .option('--json', 'print the split as JSON'),
    )
    .action(async (opts: F & { recipe: string; amount: string; version?: string; json?: boolean }) => {
      const version = opts.version === undefined ? undefined : Number.parseInt(opts.version, 10);
      await withStore(deps, opts, (store) => {
        const split = splitRecipePot(store, opts.recipe, opts.amount, { version }, SPACE_VIEWER);
        out(opts.json === true ? `${JSON.stringify(split, null, 2)}\n` : splitText(split));
      });
    });

  const ledger = program.command('ledger').description('the contribution ledger (append-only)');
  deps
    .withStoreOptions(
      ledger
        .command('export')
        .description('print every ledger event, in the order recorded')
        .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv')),
    )
    .action(async (opts: F & { format: 'csv' | 'json' }) => {
      await withStore(deps, opts, (store) => {
        const { events } = store.ledger.list();
        if (opts.format === 'csv') out(ledgerCsv(events));
        else {
          const meta = { space: store.space.name, weights: store.ledger.weights, now: store.clock.now() };
          out(`${JSON.stringify(ledgerJson(events, meta), null, 2)}\n`);
        }
      });
    });

  const commons = program.command('commons').description('exchange the commons with other cobrew spaces');
  deps
    .withStoreOptions(
      commons
        .command('export <bundle>')
        .description(
          'write every public recipe (versions, lineage, licences, attribution) and public brew log',
        ),
    )
    .action(async (file: string, opts: F) => {
      const bundle = await withStore(deps, opts, (store) => exportBundle(store));
      await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
      err(`Wrote ${bundle.recipes.length} recipes and ${bundle.brewLogs.length} brew logs to ${file}.\n`);
    });
  deps
    .withStoreOptions(
      commons
        .command('identity')
        .description(
          "print this space's id and public key, as another space lists it in commons.trustedSpaces",
        ),
    )
    .action(async (opts: F) => {
      const entry = await withStore(deps, opts, (store) => ({
        id: store.space.id,
        publicKey: store.key.publicKey,
        name: store.space.name,
      }));
      out(stringify([entry]));
    });
  deps
    .withStoreOptions(
      commons
        .command('import <bundle>')
        .description(
          "add another space's signed bundle, keeping authors and lineage; what is here already is skipped",
        ),
    )
    .action(async (file: string, opts: F) => {
      const raw = await readBundleFile(file);
      const report = await withStore(deps, opts, (store) =>
        importBundle(store, raw, { what: basename(file), ledger: true }),
      );
      out(reportText(report));
    });
}
