import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommonsCommands } from '../../../recipes/commons/commands.js';
import { recipesDbFile } from '../../../recipes/commons/db.js';
import { loadOrCreateSpaceKey } from '../../../recipes/commons/space-key.js';
import { runCobrew } from '../../app/cli-helpers.js';
import { alice, beer, bob, makeStore } from './helpers.js';

let root: string;
let north: string;
let south: string;
let ipaId: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cobrew-commons-cli-'));
  north = join(root, 'north');
  south = join(root, 'south');
  const { store } = makeStore({
    file: recipesDbFile(north),
    space: { name: 'Atelier Nord' },
    key: loadOrCreateSpaceKey(north),
  });
  const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
  store.addVersion(pale.id, { document: beer('Pale', { hopsG: 45 }), author: 'alice', note: 'hops' }, alice);
  ipaId = store.fork(pale.versions[0]?.id as string, { author: 'bob', title: 'IPA' }, bob).id;
  store.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The commands in this process, on the data dir given by --data-dir; returns what they printed. */
async function cobrew(...args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command().exitOverride();
  addCommonsCommands(program, {
    withStoreOptions: (cmd) => cmd.requiredOption('--data-dir <dir>'),
    openStore: async ({ dataDir }: { dataDir?: string }) =>
      makeStore({
        file: recipesDbFile(dataDir as string),
        space: { name: dataDir === north ? 'Atelier Nord' : 'Atelier Sud' },
        key: loadOrCreateSpaceKey(dataDir as string),
      }).store,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  await program.parseAsync(args, { from: 'user' });
  return { out, err };
}

describe('cobrew pot split, ledger export, commons export|import', () => {
  it('splits a pot along the lineage, as text or JSON', async () => {
    const split = JSON.parse(
      (await cobrew('pot', 'split', '--recipe', ipaId, '--amount', '100.00', '--json', '--data-dir', north))
        .out,
    );
    // alice's first version (10 points) and bob's fork (5); alice's second version is not in the IPA's lineage.
    expect(
      split.shares.map((s: { contributor: string; amount: string }) => [s.contributor, s.amount]),
    ).toEqual([
      ['alice', '66.67'],
      ['bob', '33.33'],
    ]);
    const text = await cobrew('pot', 'split', '--recipe', ipaId, '--amount', '7', '--data-dir', north);
    expect(text.out).toContain('Pot split of 7.00 for “IPA” version 1: 15 points in all.');
    await expect(
      cobrew('pot', 'split', '--recipe', ipaId, '--amount', '7,5', '--data-dir', north),
    ).rejects.toThrow(expect.objectContaining({ code: 'COBREW_ERR_AMOUNT_INVALID' }));
  });

  it('exports the ledger as CSV and JSON', async () => {
    const csv = await cobrew('ledger', 'export', '--data-dir', north);
    expect(csv.out.split('\r\n').filter((l) => l !== '')).toHaveLength(4);
    const json = JSON.parse((await cobrew('ledger', 'export', '--format', 'json', '--data-dir', north)).out);
    expect(
      json.events.map((e: { contributor: string; kind: string }) => `${e.contributor}:${e.kind}`),
    ).toEqual(['alice:version', 'alice:version', 'bob:fork']);
  });

  it('carries the commons to another space; importing twice adds nothing', async () => {
    const file = join(root, 'bundle.json');
    expect((await cobrew('commons', 'export', file, '--data-dir', north)).err).toBe(
      `Wrote 2 recipes and 0 brew logs to ${file}.\n`,
    );
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle.recipes).toHaveLength(2);
    expect(bundle.space.id).toBe(loadOrCreateSpaceKey(north).id);
    expect((await cobrew('commons', 'import', file, '--data-dir', south)).out).toBe(
      'recipes: 2 added, 0 already here; versions: 3 added, 0 already here; brew logs: 0 added, 0 already here\n',
    );
    expect((await cobrew('commons', 'import', file, '--data-dir', south)).out).toBe(
      'recipes: 0 added, 2 already here; versions: 0 added, 3 already here; brew logs: 0 added, 0 already here\n',
    );
    const split = JSON.parse(
      (await cobrew('pot', 'split', '--recipe', ipaId, '--amount', '1', '--json', '--data-dir', south)).out,
    );
    expect(split.shares.map((s: { contributor: string }) => s.contributor)).toEqual([
      `alice@${bundle.space.id}`,
      `bob@${bundle.space.id}`,
    ]);
    const junk = join(root, 'junk.json');
    writeFileSync(junk, '{"format": "cobrew-commons-bundle"');
    await expect(cobrew('commons', 'import', junk, '--data-dir', south)).rejects.toThrow(/it is not JSON/);
  });

  it('prints the identity another space lists in commons.trustedSpaces', async () => {
    const key = loadOrCreateSpaceKey(north);
    expect((await cobrew('commons', 'identity', '--data-dir', north)).out).toBe(
      `- id: ${key.id}\n  publicKey: ${key.publicKey}\n  name: Atelier Nord\n`,
    );
  });

  it('is wired into the cobrew command', async () => {
    const run = await runCobrew([
      'pot',
      'split',
      '--recipe',
      ipaId,
      '--amount',
      '100.00',
      '--json',
      '--data-dir',
      north,
    ]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).totalPoints).toBe(15);
    const bad = await runCobrew(['pot', 'split', '--recipe', 'nope', '--amount', '1', '--data-dir', north]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^COBREW_ERR_RECIPE_NOT_FOUND: /);
  });
});
