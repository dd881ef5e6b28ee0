import { describe, expect, it } from 'vitest';
import { calculate } from '../../../recipes/calc/index.js';
import type { BeerJsonDocument, Recipe } from '../../../recipes/formats/index.js';
import { exportBeerXml, importRecipeFile, recipesOf } from '../../../recipes/formats/index.js';
import { sample, samples } from './samples.js';

/** The document with every number at 9 significant digits: the normal form round trips are compared in. */
function normalised(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v));
}

const first = (doc: BeerJsonDocument): Recipe => recipesOf(doc)[0] as Recipe;

describe('BeerXML samples', () => {
  const files = samples('beerxml');

  it('has the 5 BeerXML exports to test with', () => {
    expect(files.map((f) => f.name)).toEqual([
      'GenericOneHF.xml',
      'Kolsh.xml',
      'Londonpride.xml',
      'RRSummerBitter.xml',
      'punk-ipa-2010-current.xml',
    ]);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s imports to valid BeerJSON', (_n, file) => {
    const { format, document } = importRecipeFile(file.bytes, file.name);
    expect(format).toBe('beerxml');
    expect(document.beerjson.recipes).toHaveLength(1);
  });

  it.each(files.map((f) => [f.name, f] as const))(
    '%s agrees with the BeerJSON project’s own conversion of it',
    (name, file) => {
      const mine = first(importRecipeFile(file.bytes, name).document);
      const theirs = first(
        JSON.parse(
          sample('converted', name.replace('.xml', '.json')).bytes.toString('utf8'),
        ) as BeerJsonDocument,
      );
      // Their converter leaves character references undecoded ("Lloyd&#39;s"); cobrew decodes them.
      expect(mine.name).toBe(theirs.name.replace('&#39;', "'"));
      expect(mine.type).toBe(theirs.type);
      expect(mine.author).toBe(theirs.author);
      expect(mine.batch_size).toEqual(theirs.batch_size);
      expect(mine.efficiency).toEqual(theirs.efficiency);
      expect(mine.boil?.boil_time).toEqual(theirs.boil?.boil_time);
      const ferm = (r: Recipe) =>
        r.ingredients.fermentable_additions.map((f) => ({
          name: f.name,
          type: f.type,
          amount: f.amount,
          color: f.color,
          potential: Number(f.yield.potential?.value.toFixed(6)),
        }));
      expect(ferm(mine)).toEqual(ferm(theirs));
      const hops = (r: Recipe) =>
        (r.ingredients.hop_additions ?? []).map((h) => ({
          name: h.name,
          alpha: h.alpha_acid,
          amount: h.amount,
        }));
      expect(hops(mine)).toEqual(hops(theirs));
      // Their converter files dry hops under add_to_boil; the boil additions must agree.
      const boilTimes = (r: Recipe) =>
        (r.ingredients.hop_additions ?? [])
          .filter((h) => h.timing.use === 'add_to_boil')
          .map((h) => h.timing.time);
      expect(boilTimes(mine)).toEqual(boilTimes(theirs).slice(0, boilTimes(mine).length));
      const cultures = (r: Recipe) =>
        (r.ingredients.culture_additions ?? []).map((c) => ({ name: c.name, attenuation: c.attenuation }));
      if (name === 'punk-ipa-2010-current.xml') {
        // The file gives no ATTENUATION: their converter writes 75 %, cobrew leaves it out.
        expect(cultures(mine)).toEqual([{ name: 'Wyeast 1056 - American Ale', attenuation: undefined }]);
        expect(cultures(theirs)[0]?.attenuation).toEqual({ unit: '%', value: 75 });
      } else {
        expect(cultures(mine)).toEqual(cultures(theirs));
      }
    },
  );

  it.each(files.map((f) => [f.name, f] as const))(
    '%s: an export re-imports to the same recipe',
    (_n, file) => {
      const once = importRecipeFile(file.bytes, file.name).document;
      const xml = exportBeerXml(once);
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<RECIPES>')).toBe(true);
      const twice = importRecipeFile(Buffer.from(xml, 'utf8'), 'exported.xml');
      expect(normalised(twice.document)).toEqual(normalised(once));
      expect(twice.warnings).toEqual([]);
    },
  );

  it('dry hops go to the fermenter, with their time as a duration', () => {
    const punk = first(importRecipeFile(sample('beerxml', 'punk-ipa-2010-current.xml').bytes).document);
    const dry = (punk.ingredients.hop_additions ?? []).filter((h) => h.timing.use === 'add_to_fermentation');
    expect(dry.map((h) => h.name)).toEqual([
      'Chinook',
      'Ahtanum',
      'Simcoe',
      'Nelson Sauvin',
      'Cascade',
      'Amarillo',
    ]);
    expect(dry[0]?.timing.duration).toEqual({ unit: 'min', value: 10080 });
  });

  it('reads BeerXML’s fixed units and 0-100 percentages into BeerJSON unit objects', () => {
    const london = first(importRecipeFile(sample('beerxml', 'Londonpride.xml').bytes).document);
    expect(london.batch_size).toEqual({ unit: 'l', value: 40 });
    expect(london.efficiency.brewhouse).toEqual({ unit: '%', value: 65 });
    expect(london.ingredients.fermentable_additions[0]?.yield).toEqual({
      fine_grind: { unit: '%', value: 82.61 },
      potential: { unit: 'sg', value: 1 + 0.8261 * 0.046 },
    });
    expect(london.ingredients.hop_additions?.[0]?.amount).toEqual({ unit: 'kg', value: 0.03 });
    expect(london.ingredients.culture_additions?.[0]?.amount).toEqual({ unit: 'l', value: 0.1 });
    expect(london.original_gravity).toEqual({ unit: 'sg', value: 1.049 });
    expect(london.ibu_estimate).toEqual({ method: 'Tinseth', value: { unit: 'IBUs', value: 35.22 } });
  });

  it('decodes character references and keeps the text as written', () => {
    const kolsch = first(importRecipeFile(sample('beerxml', 'Kolsh.xml').bytes).document);
    expect(kolsch.name).toBe("Lloyd's Krispy Kolsch");
    expect((kolsch.style as { name: string }).name).toBe('Kölsch');
  });

  it('says what it tolerated in each sample', () => {
    const codes = Object.fromEntries(
      files.map((f) => [f.name, [...new Set(importRecipeFile(f.bytes, f.name).warnings.map((w) => w.code))]]),
    );
    expect(codes).toEqual({
      'GenericOneHF.xml': ['BEERXML_NOT_CARRIED'],
      'Kolsh.xml': ['BEERXML_NOT_CARRIED'],
      'Londonpride.xml': [],
      // BeerSmith set to Plato writes 11.6 (°P) into OG; Brewdog's file writes 1053.0 for 1.053.
      'RRSummerBitter.xml': ['BEERXML_NOT_CARRIED', 'BEERXML_GRAVITY_SCALED'],
      'punk-ipa-2010-current.xml': ['BEERXML_VALUE_DEFAULTED', 'BEERXML_GRAVITY_SCALED'],
    });
    const rr = first(importRecipeFile(sample('beerxml', 'RRSummerBitter.xml').bytes).document);
    expect(rr.original_gravity?.value).toBeCloseTo(1.0467, 4);
  });
});

describe('BeerJSON recipes through BeerXML', () => {
  const withRecipes = [...samples('real'), ...samples('converted')].filter(
    (f) => (JSON.parse(f.bytes.toString('utf8')).beerjson.recipes ?? []).length > 0,
  );

  it.each(withRecipes.map((f) => [f.name, f] as const))(
    '%s keeps its ingredients and figures through a BeerXML export',
    (name, file) => {
      const doc = importRecipeFile(file.bytes, name).document;
      const back = importRecipeFile(Buffer.from(exportBeerXml(doc)), `${name}.xml`).document;
      const a = first(doc);
      const b = first(back);
      expect(b.name).toBe(a.name);
      const names = (r: Recipe) => [
        r.ingredients.fermentable_additions.map((f) => f.name),
        (r.ingredients.hop_additions ?? []).map((h) => h.name),
        (r.ingredients.culture_additions ?? []).map((c) => c.name),
        (r.ingredients.miscellaneous_additions ?? []).map((m) => m.name),
      ];
      expect(names(b)).toEqual(names(a));
      if (a.batch_size.value > 0) {
        // Calculations see the same recipe, whatever units it was written in.
        const [fa, fb] = [calculate(a), calculate(b)];
        for (const k of Object.keys(fa) as (keyof typeof fa)[]) expect(fb[k], k).toBeCloseTo(fa[k], 6);
      }
    },
  );
});
