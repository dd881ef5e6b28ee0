import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { calculate, roundFigures } from '../../../recipes/calc/index.js';
import { addRecipeFileCommands } from '../../../recipes/cli/recipe-file.js';
import { recipesDbFile } from '../../../recipes/commons/db.js';
import { CommonsStore } from '../../../recipes/commons/store.js';
import { importRecipeFile, type Recipe } from '../../../recipes/formats/index.js';
import { type Weights, WeightsSchema } from '../../../recipes/ledger/rules.js';
import { runCobrew } from '../../app/cli-helpers.js';
import { sample } from '../formats/samples.js';

const KOLSCH = sample('beerxml', 'Kolsh.xml');
const dir = mkdtempSync(join(tmpdir(), 'cobrew-recipe-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cobrew recipe calc', () => {
  it('prints the seven figures of the first recipe with --json, and how far they are from the file’s own', async () => {
    const run = await runCobrew(['recipe', 'calc', KOLSCH.path, '--json']);
    expect(run.code).toBe(0);
    const expected = roundFigures(
      calculate(importRecipeFile(KOLSCH.bytes).document.beerjson.recipes?.[0] as Recipe),
    );
    const printed = JSON.parse(run.stdout);
    expect(Object.keys(printed)).toEqual([
      'og',
      'fg',
      'abv',
      'ibuTinseth',
      'ibuRager',
      'srm',
      'ebc',
      'stated',
      'deltas',
    ]);
    expect(printed).toMatchObject(expected);
    // Kolsh.xml: EST_OG 1.049 SG, EST_FG 1.010 SG, IBU 27.0 (Tinseth), EST_COLOR 3.7 SRM.
    expect(printed.stated).toEqual({
      og: 1.049,
      fg: 1.01,
      ibu: { value: 27, method: 'Tinseth' },
      srm: 3.7,
    });
    expect(printed.deltas).toEqual({
      og: Number((printed.og - 1.049).toFixed(4)),
      fg: Number((printed.fg - 1.01).toFixed(4)),
      ibu: expect.closeTo(printed.ibuTinseth - 27, 1),
      ibuPercent: expect.closeTo(((printed.ibuTinseth - 27) / 27) * 100, 0),
      srm: expect.closeTo(printed.srm - 3.7, 1),
    });
    expect(run.stderr).toContain('warning BEERXML_NOT_CARRIED');
  });

  it('prints only the figures for a file that carries no estimates of its own', async () => {
    const bare = join(dir, 'bare.xml');
    writeFileSync(
      bare,
      KOLSCH.bytes.toString('latin1').replace(/<(EST_OG|EST_FG|OG|FG|IBU|EST_COLOR)>[^<]*<\/\1>/g, ''),
    );
    const run = await runCobrew(['recipe', 'calc', bare, '--json']);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual([
      'og',
      'fg',
      'abv',
      'ibuTinseth',
      'ibuRager',
      'srm',
      'ebc',
    ]);
  });

  it('fails with a typed error and a non-zero exit code', async () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"beerjson": ');
    const run = await runCobrew(['recipe', 'calc', bad]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^COBREW_ERR_RECIPE_FILE_MALFORMED: broken\.json is not well-formed JSON/);
    expect(run.stdout).toBe('');
  });
});

describe('cobrew recipe import', () => {
  it('stores the recipes in the commons of the data dir', async () => {
    const dataDir = join(dir, 'data');
    const run = await runCobrew([
      'recipe',
      'import',
      KOLSCH.path,
      '--data-dir',
      dataDir,
      '--author',
      'Lloyd',
    ]);
    expect(run.stderr).not.toContain('COBREW_ERR');
    expect(run.code).toBe(0);
    const [id] = run.stdout.trim().split('\t');
    const store = CommonsStore.open(recipesDbFile(dataDir), {
      clock: { now: () => 0 },
      space: { name: 'test space' },
      weights: Value.Default(WeightsSchema, {}) as Weights,
    });
    expect(store.getRecipe(id as string, null)).toMatchObject({
      title: "Lloyd's Krispy Kolsch",
      owner: 'Lloyd',
    });
    store.close();
  });
});

/** The commands on a program of their own, over a commons in a file of the temporary directory. */
let harnesses = 0;
function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const file = join(dir, `recipes-${++harnesses}.db`);
  const open = () =>
    CommonsStore.open(file, {
      clock: { now: () => Date.UTC(2026, 0, 1) },
      space: { name: 'test space' },
      weights: Value.Default(WeightsSchema, {}) as Weights,
    });
  const program = new Command().exitOverride();
  addRecipeFileCommands(program.command('recipe'), {
    withStoreOptions: (cmd) => cmd,
    openStore: async () => open(),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  const run = (...args: string[]) => program.parseAsync(['node', 'cobrew', 'recipe', ...args]);
  return { open, out, err, run };
}

describe('cobrew recipe import / export', () => {
  it('imports a BeerXML file into the commons and exports it as BeerJSON and BeerXML', async () => {
    const h = harness();
    await h.run('import', KOLSCH.path, '--licence', 'CC0-1.0');
    const [id, title] = (h.out.shift() as string).trim().split('\t');
    expect(title).toBe("Lloyd's Krispy Kolsch");
    const store = h.open();
    expect(store.getRecipe(id as string, null).licence).toBe('CC0-1.0');
    store.close();

    await h.run('export', id as string, '--format', 'beerjson');
    const asJson = importRecipeFile(Buffer.from(h.out.shift() as string));
    expect(asJson.document).toEqual(importRecipeFile(KOLSCH.bytes).document);

    const file = join(dir, 'kolsch.xml');
    await h.run('export', id as string, '--format', 'beerxml', '--output', file);
    const asXml = importRecipeFile(readFileSync(file));
    expect(asXml.format).toBe('beerxml');
    expect(asXml.document).toEqual(asJson.document);
  });

  it('imports nothing when one recipe of a file cannot be stored', async () => {
    const h = harness();
    const anonymous = join(dir, 'anonymous.xml');
    writeFileSync(
      anonymous,
      KOLSCH.bytes.toString('latin1').replace('<BREWER>BIABrewer.info</BREWER>', ''),
      'latin1',
    );
    await expect(h.run('import', anonymous)).rejects.toMatchObject({
      code: 'COBREW_ERR_RECIPE_AUTHOR_MISSING',
    });
    await h.run('import', anonymous, '--author', 'Lloyd');
    const store = h.open();
    expect(store.listRecipes({}, null).recipes.map((r) => r.title)).toEqual(["Lloyd's Krispy Kolsch"]);
    store.close();
  });
});
