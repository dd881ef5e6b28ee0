// `cobrew recipe calc|import|export`: recipe files on the command line. `calc` needs nothing but the file;
// `import` and `export` go through the commons store, which the caller opens (it knows the data dir).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import createError from '@fastify/error';
import { type Command, Option } from 'commander';
import { figureDeltas, statedFigures } from '../calc/compare.js';
import { calculate, type RecipeFigures, roundFigures } from '../calc/index.js';
import type { CommonsStore } from '../commons/store.js';
import { SPACE_VIEWER } from '../commons/types.js';
import {
  type BeerJsonDocument,
  exportBeerJson,
  exportBeerXml,
  type FormatWarning,
  type ImportResult,
  importRecipeFile,
  MAX_RECIPE_FILE_BYTES,
  type Recipe,
  RecipeFileTooLargeError,
  recipesOf,
} from '../formats/index.js';

export const AuthorMissingError = createError<'COBREW_ERR_RECIPE_AUTHOR_MISSING', [string]>(
  'COBREW_ERR_RECIPE_AUTHOR_MISSING',
  'The recipe "%s" names no author, and the commons credits every version to someone: pass --author <name>.',
);

/** What the commands use of the commons store. */
export type RecipeStore = Pick<CommonsStore, 'db' | 'createRecipe' | 'getRecipe' | 'getVersion' | 'close'>;

export interface RecipeCommandDeps<F> {
  /** Adds the options that locate the data dir (--data-dir, --config) to a command. */
  withStoreOptions(cmd: Command): Command;
  /** Opens the commons store those options name; the command closes it. */
  openStore(flags: F): Promise<RecipeStore>;
  /** Where output goes (stdout and stderr by default; tests capture them). */
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** Reads a recipe file, refusing an oversized one before reading it. */
export async function readRecipeFile(path: string): Promise<ImportResult> {
  const { size } = await stat(path);
  if (size > MAX_RECIPE_FILE_BYTES) throw new RecipeFileTooLargeError(path, size);
  return importRecipeFile(await readFile(path), basename(path));
}

export function formatWarnings(warnings: readonly FormatWarning[]): string {
  return warnings.map((w) => `warning ${w.code}: ${w.message}\n`).join('');
}

/** The figures as `cobrew recipe calc` prints them without --json. */
export function figuresTable(title: string, f: RecipeFigures): string {
  const rows: [string, string][] = [
    ['OG', f.og.toFixed(4)],
    ['FG', f.fg.toFixed(4)],
    ['ABV', `${f.abv.toFixed(2)} %`],
    ['IBU (Tinseth)', f.ibuTinseth.toFixed(1)],
    ['IBU (Rager)', f.ibuRager.toFixed(1)],
    ['Colour', `${f.srm.toFixed(1)} SRM / ${f.ebc.toFixed(1)} EBC`],
  ];
  return `${title}\n${rows.map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}\n`;
}

export function addRecipeFileCommands<F extends object>(recipe: Command, deps: RecipeCommandDeps<F>): void {
  const out = deps.out ?? ((t: string) => process.stdout.write(t));
  const err = deps.err ?? ((t: string) => process.stderr.write(t));

  recipe
    .command('calc <file>')
    .description(
      'OG, FG, ABV, IBU (Tinseth, Rager) and colour of the first recipe in a BeerJSON or BeerXML file',
    )
    .option(
      '--json',
      'print one JSON object: {"og","fg","abv","ibuTinseth","ibuRager","srm","ebc"}, with "stated" and ' +
        '"deltas" when the file carries its own estimates (EST_OG, EST_FG, IBU, EST_COLOR)',
    )
    .action(async (file: string, opts: { json?: boolean }) => {
      const { document, warnings } = await readRecipeFile(file);
      const [first] = recipesOf(document, file) as [Recipe];
      const exact = calculate(first);
      const figures = roundFigures(exact);
      const stated = statedFigures(first);
      err(formatWarnings(warnings));
      if (opts.json !== true) {
        out(figuresTable(first.name, figures));
        return;
      }
      const compared =
        Object.keys(stated).length === 0 ? {} : { stated, deltas: figureDeltas(exact, stated) };
      out(`${JSON.stringify({ ...figures, ...compared })}\n`);
    });

  deps
    .withStoreOptions(
      recipe
        .command('import <file>')
        .description('add every recipe of a BeerJSON or BeerXML file to the commons, each as a new recipe'),
    )
    .option('--author <name>', "who is credited (default: the recipe's own author field)")
    .option('--licence <spdx>', 'licence of the new recipes, e.g. CC-BY-SA-4.0 (the default), CC0-1.0')
    .option('--private', 'keep the new recipes private')
    .option('--note <text>', 'note of the first version', 'Imported from a file')
    .action(
      async (
        file: string,
        opts: F & { author?: string; licence?: string; private?: boolean; note: string },
      ) => {
        const { document, warnings } = await readRecipeFile(file);
        const recipes = recipesOf(document, file);
        err(formatWarnings(warnings));
        const authors = recipes.map((r) => {
          const author = (opts.author ?? r.author).trim();
          if (author === '') throw new AuthorMissingError(r.name);
          return author;
        });
        const store = await deps.openStore(opts);
        try {
          // One transaction: a file of several recipes goes in whole or not at all.
          const created = store.db.transaction(() =>
            recipes.map((r, i) =>
              store.createRecipe({
                document: { beerjson: { version: document.beerjson.version, recipes: [r] } },
                author: authors[i] as string,
                note: opts.note,
                ...(opts.licence === undefined ? {} : { licence: opts.licence }),
                visibility: opts.private === true ? 'private' : 'public',
              }),
            ),
          )();
          for (const c of created) out(`${c.id}\t${c.title}\n`);
        } finally {
          store.close();
        }
      },
    );

  deps
    .withStoreOptions(
      recipe.command('export <id>').description('write a recipe of the commons as BeerJSON or BeerXML'),
    )
    .addOption(
      new Option('--format <format>', 'file format').choices(['beerjson', 'beerxml']).default('beerjson'),
    )
    .option('--version-number <n>', 'which version (default: the latest)')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (id: string, opts: F & { format: string; versionNumber?: string; output?: string }) => {
      const store = await deps.openStore(opts);
      let document: BeerJsonDocument;
      try {
        const number =
          opts.versionNumber === undefined
            ? (store.getRecipe(id, SPACE_VIEWER).versions.at(-1)?.number ?? 1)
            : Number(opts.versionNumber);
        document = store.getVersion(id, number, SPACE_VIEWER).document as BeerJsonDocument;
      } finally {
        store.close();
      }
      const text = opts.format === 'beerxml' ? exportBeerXml(document) : exportBeerJson(document);
      if (opts.output === undefined) out(text);
      else await writeFile(opts.output, text);
    });
}
