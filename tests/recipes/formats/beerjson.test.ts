import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BeerJsonDocument,
  BeerJsonInvalidError,
  beerJsonProblems,
  exportBeerJson,
  importRecipeFile,
  validateBeerJson,
} from '../../../recipes/formats/index.js';
import { BEERJSON_DIR, ROOT, sample, samples } from './samples.js';

const VENDORED = join(ROOT, 'recipes/formats/beerjson-schema');

describe('the vendored BeerJSON schema', () => {
  it('is the 20 official files unchanged, with their MIT licence', () => {
    const official = readdirSync(join(BEERJSON_DIR, 'schema')).sort();
    expect(official).toHaveLength(20);
    expect(
      readdirSync(VENDORED)
        .filter((f) => f.endsWith('.json') && f !== 'biome.json')
        .sort(),
    ).toEqual(official);
    for (const f of official) {
      expect(readFileSync(join(VENDORED, f), 'utf8'), f).toBe(
        readFileSync(join(BEERJSON_DIR, 'schema', f), 'utf8'),
      );
    }
    expect(readFileSync(join(VENDORED, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(BEERJSON_DIR, 'LICENSE'), 'utf8'),
    );
  });
});

describe('BeerJSON samples', () => {
  const files = [...samples('real'), ...samples('converted')];

  it('has the 25 real and 5 converted documents to test with', () => {
    expect(samples('real')).toHaveLength(25);
    expect(samples('converted')).toHaveLength(5);
  });

  it.each(files.map((f) => [f.name, f] as const))(
    '%s imports, validates and exports to itself',
    (_n, file) => {
      const result = importRecipeFile(file.bytes, file.name);
      expect(result.format).toBe('beerjson');
      expect(beerJsonProblems(result.document)).toEqual([]);
      // The document is kept as given: export re-validates and gives the same document back.
      expect(result.document).toEqual(JSON.parse(file.bytes.toString('utf8')));
      const exported = exportBeerJson(result.document);
      expect(JSON.parse(exported)).toEqual(result.document);
      expect(importRecipeFile(Buffer.from(exported)).document).toEqual(result.document);
    },
  );

  it('says when a sample claims another BeerJSON version (every official sample does: 2.01 or 2.06)', () => {
    const versions = new Set(files.map((f) => JSON.parse(f.bytes.toString('utf8')).beerjson.version));
    expect([...versions].sort()).toEqual([2.01, 2.06]);
    for (const f of files) {
      expect(importRecipeFile(f.bytes, f.name).warnings.map((w) => w.code)).toContain('BEERJSON_VERSION');
    }
  });

  it('reports gravities written as SG × 1000 without changing the document', () => {
    const flagged = files
      .map((f) => ({
        name: f.name,
        paths: importRecipeFile(f.bytes, f.name)
          .warnings.filter((w) => w.code === 'BEERJSON_GRAVITY_THOUSANDFOLD')
          .map((w) => w.message.split(':')[0]),
      }))
      .filter((f) => f.paths.length > 0);
    expect(flagged.map((f) => f.name)).toEqual([
      'BrettDosedKegsSaison.json',
      'KettleSour.json',
      'MedievalAle.json',
      'SourFruitedCopitch.json',
      'SourMash.json',
      'SpargeAcidification.json',
    ]);
    expect(flagged[0]?.paths).toEqual([
      'beerjson.recipes[0].ingredients.fermentable_additions[0].yield.potential',
      'beerjson.recipes[0].ingredients.fermentable_additions[1].yield.potential',
    ]);
  });
});

describe('invalid BeerJSON', () => {
  const kolsch = () =>
    JSON.parse(sample('converted', 'Kolsh.json').bytes.toString('utf8')) as BeerJsonDocument;

  it('is refused with one line per problem, naming the field and the fix', () => {
    const doc = kolsch() as unknown as { beerjson: { recipes: Record<string, unknown>[] } };
    const recipe = doc.beerjson.recipes[0] as Record<string, unknown>;
    delete recipe.name;
    (recipe.batch_size as { unit: string }).unit = 'litres';
    recipe.licence = 'CC-BY-SA-4.0';
    const err = (() => {
      try {
        validateBeerJson(doc, 'kolsch.json');
      } catch (e) {
        return e as BeerJsonInvalidError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(BeerJsonInvalidError);
    expect(err.code).toBe('COBREW_ERR_BEERJSON_INVALID');
    expect(err.problems).toEqual(
      expect.arrayContaining([
        'beerjson.recipes[0].name: missing; BeerJSON requires it',
        'beerjson.recipes[0].licence: not a BeerJSON field; remove it or check its spelling',
        expect.stringMatching(
          /^beerjson\.recipes\[0\]\.batch_size\.unit: "litres" is not allowed; use one of "ml", "l",/,
        ),
      ]),
    );
    expect(err.message).toContain('kolsch.json is not valid BeerJSON 1.0');
  });

  it('names the accepted units once for a mass-or-volume amount', () => {
    const doc = kolsch() as unknown as {
      beerjson: { recipes: { ingredients: { hop_additions: { amount: { unit: string } }[] } }[] };
    };
    const hop = doc.beerjson.recipes[0]?.ingredients.hop_additions[0];
    if (hop === undefined) throw new Error('sample changed');
    hop.amount.unit = 'pounds';
    expect(beerJsonProblems(doc)).toEqual([
      'beerjson.recipes[0].ingredients.hop_additions[0].amount.unit: "pounds" is not allowed; use one of "ml", "l", "tsp", "tbsp", "floz", "cup", "pt", "qt", "gal", "bbl", "ifloz", "ipt", "iqt", "igal", "ibbl", "mg", "g", "kg", "lb", "oz"',
    ]);
  });

  it('is refused by export too: nothing invalid leaves cobrew', () => {
    const doc = kolsch();
    (doc.beerjson as Record<string, unknown>).extra = true;
    expect(() => exportBeerJson(doc)).toThrow(BeerJsonInvalidError);
  });
});
