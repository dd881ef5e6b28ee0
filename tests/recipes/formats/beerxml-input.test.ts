// BeerXML as it comes from the wild: encodings, case, empty tags, odd values; and hostile files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldReader } from '../../../recipes/formats/beerxml-fields.js';
import { Origins } from '../../../recipes/formats/beerxml-import.js';
import { XmlLocator } from '../../../recipes/formats/beerxml-locate.js';
import {
  BeerXmlInvalidError,
  type FormatWarning,
  type ImportResult,
  importRecipeFile,
  MAX_RECIPE_FILE_BYTES,
  type Recipe,
  RecipeFileMalformedError,
  RecipeFileTooLargeError,
  RecipeFormatUnknownError,
  XmlEntitiesRefusedError,
} from '../../../recipes/formats/index.js';
import { sample } from './samples.js';

const LONDON = sample('beerxml', 'Londonpride.xml').bytes.toString('latin1');

/** The London Pride sample with its name (and header) changed, encoded as given. */
function london(opts: {
  name?: string;
  header?: string;
  encoding?: BufferEncoding;
  edit?: (t: string) => string;
}) {
  let text = LONDON.replace('<NAME>London pride</NAME>', `<NAME>${opts.name ?? 'London pride'}</NAME>`);
  if (opts.header !== undefined) text = text.replace('<?xml version="1.0" encoding="UTF-8"?>', opts.header);
  if (opts.edit !== undefined) text = opts.edit(text);
  return Buffer.from(text, opts.encoding ?? 'utf8');
}

const recipe = (r: ImportResult): Recipe => r.document.beerjson.recipes?.[0] as Recipe;
const codes = (w: FormatWarning[]) => w.map((x) => x.code);

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing was thrown');
}

describe('encodings', () => {
  const LATIN1 = '<?xml version="1.0" encoding="ISO-8859-1"?>';

  it('reads ISO-8859-1 bytes labelled ISO-8859-1', () => {
    const r = importRecipeFile(london({ name: 'Bière de garde', header: LATIN1, encoding: 'latin1' }));
    expect(recipe(r).name).toBe('Bière de garde');
    expect(r.warnings).toEqual([]);
  });

  it('reads UTF-8 bytes labelled UTF-8', () => {
    const r = importRecipeFile(london({ name: 'Bière de garde €' }));
    expect(recipe(r).name).toBe('Bière de garde €');
    expect(r.warnings).toEqual([]);
  });

  it('trusts the bytes when the header says ISO-8859-1 but they are UTF-8', () => {
    const r = importRecipeFile(london({ name: 'Bière de garde', header: LATIN1 }));
    expect(recipe(r).name).toBe('Bière de garde');
    expect(r.warnings).toEqual([
      {
        code: 'XML_ENCODING_MISLABELLED',
        message: 'the header says ISO-8859-1 but the bytes are UTF-8; read as UTF-8',
      },
    ]);
  });

  it('trusts the bytes when the header says UTF-8 but they are Latin-1 (Windows-1252)', () => {
    const bytes = Buffer.concat([
      london({ edit: (t) => t.split('<NAME>London pride</NAME>')[0] as string }),
      Buffer.from([...Buffer.from('<NAME>Bi'), 0xe8, ...Buffer.from('re '), 0x80, ...Buffer.from('</NAME>')]),
      london({ edit: (t) => t.split('<NAME>London pride</NAME>')[1] as string }),
    ]);
    const r = importRecipeFile(bytes);
    expect(recipe(r).name).toBe('Bière €');
    expect(codes(r.warnings)).toEqual(['XML_ENCODING_MISLABELLED']);
  });

  it('undoes UTF-8 that was decoded as Latin-1 and saved again, and says so', () => {
    const mangled = Buffer.from('Bière de garde', 'utf8').toString('latin1'); // "BiÃ¨re de garde"
    const r = importRecipeFile(london({ name: mangled }));
    expect(recipe(r).name).toBe('Bière de garde');
    expect(codes(r.warnings)).toEqual(['XML_DOUBLE_ENCODED']);
  });

  it('reads UTF-16 with a byte order mark', () => {
    const text = london({ name: 'Kölsch' }).toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const r = importRecipeFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(recipe(r).name).toBe('Kölsch');
  });
});

describe('tags and values as tools write them', () => {
  it('accepts lower- and mixed-case tags', () => {
    const r = importRecipeFile(
      london({ edit: (t) => t.replace(/<(\/?)([A-Z_]+)/g, (_m, s, tag) => `<${s}${tag.toLowerCase()}`) }),
    );
    expect(recipe(r).name).toBe('London pride');
    expect(recipe(r).ingredients.hop_additions).toHaveLength(2);
  });

  it('treats empty tags, self-closed tags and "-" as absent', () => {
    const r = importRecipeFile(
      london({
        edit: (t) =>
          t
            .replace('<ORIGIN>Finland</ORIGIN>', '<ORIGIN>-</ORIGIN>')
            .replace('<BREWER>RR</BREWER>', '<BREWER/>'),
      }),
    );
    expect(recipe(r).author).toBe('');
    expect(recipe(r).ingredients.fermentable_additions[1]?.origin).toBeUndefined();
  });

  it('ignores vendor tags and display tags', () => {
    const plain = recipe(importRecipeFile(london({})));
    const vendor = recipe(
      importRecipeFile(
        london({
          edit: (t) =>
            t.replace(
              '<OG>1.049</OG>',
              '<OG>1.049</OG><BF_SECRET>x</BF_SECRET><DISPLAY_OG>12 P</DISPLAY_OG><MY_TOOL><A>1</A></MY_TOOL>',
            ),
        }),
      ),
    );
    expect(vendor).toEqual(plain);
  });

  it("keeps Brewer's Friend's hop UTILIZATION as a percentage, leaving out one that is none", () => {
    const withUtilization = (u: string) =>
      importRecipeFile(
        london({
          edit: (t) => t.replace('<USE>Boil</USE>', `<USE>Aroma</USE><UTILIZATION>${u}</UTILIZATION>`),
        }),
      );
    const one = withUtilization('1');
    expect(recipe(one).ingredients.hop_additions?.[0]?.utilization).toEqual({ unit: '%', value: 1 });
    expect(codes(one.warnings)).not.toContain('BEERXML_PERCENT_SCALED');
    const bad = withUtilization('150');
    expect(recipe(bad).ingredients.hop_additions?.[0]?.utilization).toBeUndefined();
    expect(bad.warnings.map((w) => w.message).join('\n')).toContain(
      'UTILIZATION 150 is no percentage between 0 and 100; left out',
    );
  });

  it('reads booleans in any case', () => {
    const r = importRecipeFile(
      london({ edit: (t) => t.replace('<ADD_AFTER_BOIL>false', '<ADD_AFTER_BOIL>True') }),
    );
    expect(recipe(r).ingredients.fermentable_additions[0]?.timing).toEqual({ use: 'add_to_fermentation' });
  });

  it('reads a decimal comma, a fraction for a percentage and gravity × 1000, each with a warning', () => {
    const r = importRecipeFile(
      london({
        edit: (t) =>
          t
            .replace('<AMOUNT>0.6</AMOUNT>', '<AMOUNT>0,6</AMOUNT>')
            .replace('<EFFICIENCY>65</EFFICIENCY>', '<EFFICIENCY>0.65</EFFICIENCY>')
            .replace('<OG>1.049</OG>', '<OG>1049</OG>'),
      }),
    );
    expect(recipe(r).ingredients.fermentable_additions[1]?.amount).toEqual({ unit: 'kg', value: 0.6 });
    expect(recipe(r).efficiency.brewhouse).toEqual({ unit: '%', value: 65 });
    expect(recipe(r).original_gravity).toEqual({ unit: 'sg', value: 1.049 });
    expect(codes(r.warnings)).toEqual([
      'BEERXML_PERCENT_SCALED',
      'BEERXML_DECIMAL_COMMA',
      'BEERXML_GRAVITY_SCALED',
    ]);
  });

  it('converts values in a clearly wrong unit, saying so, and refuses one that cannot be meant', () => {
    const r = importRecipeFile(
      london({
        edit: (t) =>
          t
            .replace('<YIELD>82.61</YIELD>', '<YIELD>1.038</YIELD>')
            .replace('<YIELD>76.09</YIELD>', '<YIELD>1035</YIELD>')
            .replace('<STEP_TEMP>65</STEP_TEMP>', '<STEP_TEMP>152</STEP_TEMP>')
            .replace('<ALPHA>11.5</ALPHA>', '<ALPHA>0.115</ALPHA>'),
      }),
    );
    const [pale, second] = recipe(r).ingredients.fermentable_additions;
    expect(pale?.yield.fine_grind).toEqual({ unit: '%', value: 82.61 });
    expect(second?.yield.fine_grind).toEqual({ unit: '%', value: 76.09 });
    const mash = recipe(r).mash as { mash_steps: { step_temperature: unknown }[] };
    expect(mash.mash_steps[0]?.step_temperature).toEqual({ unit: 'C', value: 66.7 });
    expect(recipe(r).ingredients.hop_additions?.[0]?.alpha_acid).toEqual({ unit: '%', value: 11.5 });
    expect(r.warnings.map((w) => w.message)).toEqual([
      '/RECIPES/RECIPE[1]/FERMENTABLES/FERMENTABLE[1]/YIELD (line 41, "Pale 2-Row"): YIELD 1.038 is an extract potential (SG 1.038), not a percentage; read as 82.61 %',
      '/RECIPES/RECIPE[1]/FERMENTABLES/FERMENTABLE[2]/YIELD (line 51, "Cara Plus 200"): YIELD 1035 is an extract potential (SG 1.035), not a percentage; read as 76.09 %',
      '/RECIPES/RECIPE[1]/HOPS/HOP[1]/ALPHA (line 61, "Target"): ALPHA 0.115 looks like a fraction; read as 11.5 %',
      '/RECIPES/RECIPE[1]/MASH/MASH_STEPS/MASH_STEP[1]/STEP_TEMP (line 91): STEP_TEMP 152 is above boiling in °C, so °F; read as 66.7 °C',
    ]);
    const err = thrown(() =>
      importRecipeFile(
        london({ edit: (t) => t.replace('<YIELD>82.61</YIELD>', '<YIELD>250</YIELD>') }),
        'lp.xml',
      ),
    );
    expect((err as BeerXmlInvalidError).problems).toEqual([
      '/RECIPES/RECIPE[1]/FERMENTABLES/FERMENTABLE[1]/YIELD (line 41, "Pale 2-Row"): YIELD 250 is above 100 %; BeerXML wants the percentage of sucrose\'s extract',
    ]);
  });

  it('names the XML element and line of a schema problem in the converted document', () => {
    const xml =
      '<RECIPES>\n<RECIPE>\n<YEASTS>\n<YEAST>\n<NAME>S-04</NAME>\n</YEAST>\n</YEASTS>\n</RECIPE>\n</RECIPES>';
    const reader = new FieldReader(new XmlLocator(xml), [], []);
    const origins = new Origins();
    const yeast = origins.note({ name: 'S-04' }, '/RECIPES/RECIPE[1]/YEASTS/YEAST[1]');
    const recipe = origins.note({ ingredients: { culture_additions: [yeast] } }, '/RECIPES/RECIPE[1]');
    const doc = { beerjson: { version: 1, recipes: [recipe] } } as never;
    expect(
      origins.describe(
        doc,
        'beerjson.recipes[0].ingredients.culture_additions[0].amount: missing; BeerJSON requires it',
        reader,
      ),
    ).toBe(
      '/RECIPES/RECIPE[1]/YEASTS/YEAST[1] (line 4) (converted field amount): missing; BeerJSON requires it',
    );
    expect(origins.describe(doc, 'beerjson.recipes[0].batch_size: missing', reader)).toBe(
      '/RECIPES/RECIPE[1] (line 2) (converted field batch_size): missing',
    );
  });

  it('reads yeast amounts as litres unless AMOUNT_IS_WEIGHT says kg', () => {
    const r = importRecipeFile(
      london({
        edit: (t) =>
          t.replace(
            '<AMOUNT>0.1</AMOUNT>',
            '<AMOUNT>0.0115</AMOUNT><AMOUNT_IS_WEIGHT>TRUE</AMOUNT_IS_WEIGHT>',
          ),
      }),
    );
    expect(recipe(r).ingredients.culture_additions?.[0]?.amount).toEqual({ unit: 'kg', value: 0.0115 });
  });

  it('leaves out what it cannot read, and refuses what BeerXML requires', () => {
    const r = importRecipeFile(
      london({
        edit: (t) =>
          t
            .replace('<BETA>', '<X>')
            .replace('<PRIMARY_TEMP>20</PRIMARY_TEMP>', '<PRIMARY_TEMP>warm</PRIMARY_TEMP>'),
      }),
    );
    expect(recipe(r).fermentation).toBeUndefined();
    expect(r.warnings[0]?.message).toBe(
      '/RECIPES/RECIPE[1]/PRIMARY_TEMP (line 15, "London pride"): PRIMARY_TEMP "warm" is not a number; left out',
    );
    const err = thrown(() =>
      importRecipeFile(
        london({
          edit: (t) => t.replace('<BATCH_SIZE>40</BATCH_SIZE>', '').replace('<ALPHA>11.5</ALPHA>', ''),
        }),
        'lp.xml',
      ),
    );
    expect(err).toBeInstanceOf(BeerXmlInvalidError);
    expect((err as BeerXmlInvalidError).problems).toEqual([
      '/RECIPES/RECIPE[1]/BATCH_SIZE (line 3, "London pride"): BATCH_SIZE is missing or not a number; BeerXML requires it',
      '/RECIPES/RECIPE[1]/HOPS/HOP[1]/ALPHA (line 58, "Target"): ALPHA is missing or not a number; BeerXML requires it',
    ]);
  });

  it('refuses a file without recipes, naming what it holds', () => {
    const err = thrown(() =>
      importRecipeFile(Buffer.from('<HOPS><HOP><NAME>Saaz</NAME></HOP></HOPS>'), 'hops.xml'),
    );
    expect(err.code).toBe('COBREW_ERR_BEERXML_INVALID');
    expect(err.message).toContain('no <RECIPE> record found (the file holds <HOPS>)');
  });
});

describe('hostile and broken files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-xxe-'));
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an external entity (XXE): the file is never read', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://${secret}">]>\n<RECIPES><RECIPE><NAME>&x;</NAME><BATCH_SIZE>20</BATCH_SIZE></RECIPE></RECIPES>`;
    const err = thrown(() => importRecipeFile(Buffer.from(xxe), 'xxe.xml'));
    expect(err).toBeInstanceOf(XmlEntitiesRefusedError);
    expect(err.code).toBe('COBREW_ERR_RECIPE_XML_ENTITIES');
    expect(err.message).not.toContain('TOP-SECRET');
  });

  it('refuses entity expansion bombs (billion laughs) at once', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join(
      '',
    );
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">${levels}]><RECIPES><RECIPE><NAME>&l9;</NAME></RECIPE></RECIPES>`;
    expect(thrown(() => importRecipeFile(Buffer.from(bomb))).code).toBe('COBREW_ERR_RECIPE_XML_ENTITIES');
  });

  it('refuses a file over 5 MiB before parsing it', () => {
    const big = Buffer.alloc(MAX_RECIPE_FILE_BYTES + 1, 0x20);
    big.write('<RECIPES>', 0);
    const err = thrown(() => importRecipeFile(big, 'big.xml'));
    expect(err).toBeInstanceOf(RecipeFileTooLargeError);
    expect(err.message).toBe(
      'big.xml is 5242881 bytes; recipe files are limited to 5242880 bytes (5 MiB). Export the recipes one by one, or remove embedded pictures or inventories.',
    );
  });

  it('refuses malformed XML with the line and column', () => {
    const broken = london({ edit: (t) => t.replace('</BREWER>', '</BREWR>') });
    const err = thrown(() => importRecipeFile(broken, 'lp.xml'));
    expect(err).toBeInstanceOf(RecipeFileMalformedError);
    expect(err.code).toBe('COBREW_ERR_RECIPE_FILE_MALFORMED');
    expect((err as RecipeFileMalformedError).line).toBe(7);
    expect(err.message).toMatch(
      /^lp\.xml is not well-formed XML: .*BREWER.* \(line 7, column \d+\)\. Fix the file/,
    );
  });

  it('refuses malformed JSON with the line and column', () => {
    const err = thrown(() =>
      importRecipeFile(Buffer.from('{\n  "beerjson": {\n    "version": 1,\n  }\n}'), 'r.json'),
    );
    expect(err).toBeInstanceOf(RecipeFileMalformedError);
    expect((err as RecipeFileMalformedError).line).toBe(4);
    expect(err.message).toContain('r.json is not well-formed JSON');
  });

  it('refuses JSON that is not UTF-8, saying where', () => {
    const bytes = Buffer.concat([
      Buffer.from('{\n "beerjson": {"version": 1, "x": "'),
      Buffer.from([0xe9]),
      Buffer.from('"}}'),
    ]);
    const err = thrown(() => importRecipeFile(bytes, 'r.json'));
    expect(err.code).toBe('COBREW_ERR_RECIPE_FILE_MALFORMED');
    expect(err.message).toContain('(line 2, column 35)');
  });

  it('refuses a file that is neither JSON nor XML', () => {
    const err = thrown(() => importRecipeFile(Buffer.from('NAME,AMOUNT\nPils,4'), 'recipe.xml'));
    expect(err).toBeInstanceOf(RecipeFormatUnknownError);
    expect(err.message).toContain('whatever its name recipe.xml suggests');
  });
});
