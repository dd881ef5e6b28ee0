import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { attributionText } from '../../../recipes/commons/attribution.js';
import { sha256 } from '../../../recipes/commons/document.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import type { LineageNode } from '../../../recipes/commons/types.js';
import { beerJsonProblems } from '../../../recipes/formats/index.js';
import { libraryBundle, loadLibrary } from '../../../recipes/library/load.js';
import { LIBRARY } from '../../../recipes/library/manifest.js';
import { bob, makeStore } from './helpers.js';

const DIR = new URL('../../../recipes/library/', import.meta.url);

let store: CommonsStore;
afterEach(() => store?.close());

describe('the living library', () => {
  it('is BeerJSON 1.0, one recipe a file, every file in the manifest', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const doc = JSON.parse(readFileSync(new URL(f, DIR), 'utf8'));
      expect(beerJsonProblems(doc), f).toEqual([]);
      expect(doc.beerjson.recipes).toHaveLength(1);
    }
    expect(LIBRARY.flatMap((r) => r.versions)).toHaveLength(files.length);
  });

  it('never changes a version once published (spaces that hold it would refuse the library as a conflict)', () => {
    // Add new versions to the manifest instead; these digests cover document, note, date, author and parent.
    const published: Record<string, string> = {
      '45ebb1e2-35aa-4b44-809b-15fc2d2b9b58':
        '81cbf4472160e07ac8f57de126a5e45ca5db969f97d21aac4127577de3458469',
      '6a3fe55b-890c-4103-9c62-c9b898fecb68':
        '58e3a93ba8722eb883d05a1375bf9ef3f5cdfb69da6dd3592e83728366348d0f',
      'e20d3fe8-dc7c-45b2-97c8-fc7479f63250':
        '4b42c265f803f2a3ab7b245feeb422e88bb73667d7e653336057116645fc3dae',
      '8dad5d3d-5caf-4b4b-9f53-123c3570ca6e':
        '63228b0c72bb2a89bb16b030e9542a66c4716cc4517e4ee5355de255d990192c',
      '4d7c971c-c271-4512-8a24-07d58dae3af5':
        'd9e633085e257ff904ad3832a043c6c01b48916f5c678f3b364059244e8afddb',
      'c7a37601-4438-4b3d-9058-83420dc48ca6':
        'aeb04c44542747c419209413da3033b1545df1c01d75989f82b535d60d998d3d',
    };
    const now = Object.fromEntries(
      libraryBundle().recipes.flatMap((r) => r.versions.map((v) => [v.id, sha256(JSON.stringify(v))])),
    );
    for (const [id, digest] of Object.entries(published)) expect(now[id], id).toBe(digest);
  });

  it('loads on a first start with lineage and attribution, and adds nothing the second time', () => {
    ({ store } = makeStore());
    expect(loadLibrary(store)).toEqual({
      recipes: { added: 5, known: 0 },
      versions: { added: 6, known: 0 },
      brewLogs: { added: 0, known: 0 },
    });
    expect(loadLibrary(store)).toEqual({
      recipes: { added: 0, known: 5 },
      versions: { added: 0, known: 6 },
      brewLogs: { added: 0, known: 0 },
    });
    const { recipes } = store.listRecipes({}, null);
    expect(recipes.map((r) => r.title).sort()).toEqual([
      'IPA du quartier',
      "Pale ale de l'atelier",
      'Saison de la coop',
      'Session IPA du quartier',
      'Stout du dimanche',
    ]);
    expect(new Set(recipes.map((r) => r.licence))).toEqual(new Set(['CC-BY-SA-4.0']));
    expect(recipes.every((r) => !r.local && r.origin.name === 'cobrew library')).toBe(true);
    const session = recipes.find((r) => r.title === 'Session IPA du quartier');
    const lineage = store.lineage(session?.latestVersionId as string, null);
    expect((lineage.ancestors as LineageNode[]).map((n) => `${n.title} ${n.number}`)).toEqual([
      "Pale ale de l'atelier 1",
      "Pale ale de l'atelier 2",
      'IPA du quartier 1',
    ]);
    const text = attributionText(store.attribution(session?.latestVersionId as string, null));
    expect(text).toContain('Licence: CC-BY-SA-4.0');
    expect(text).toContain('forked from “IPA du quartier” version 1');
    // A gift, not a contribution: no ledger events; a member's fork is.
    expect(store.ledger.list().total).toBe(0);
    store.fork(session?.latestVersionId as string, { author: 'bob' }, bob);
    expect(store.ledger.list().events.map((e) => e.contributor)).toEqual(['bob']);
  });
});
