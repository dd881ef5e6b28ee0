// BeerXML bytes to plain records. External entities are impossible: any <!ENTITY> declaration is refused
// before parsing (BeerXML needs none), and fast-xml-parser never fetches DTDs or files in any case.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RECORD_TAGS, XmlLocator } from './beerxml-locate.js';
import { BeerXmlInvalidError, RecipeFileMalformedError, XmlEntitiesRefusedError } from './errors.js';
import type { FormatWarning } from './warnings.js';
import { decodeXmlBytes } from './xml-text.js';

/** A BeerXML record: upper-case tag names to text, nested records or record lists. */
export interface XmlRecord {
  [tag: string]: string | XmlRecord | XmlRecord[] | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  // Numeric character references (&#246;) are common in BeerXML; named HTML ones appear too.
  htmlEntities: true,
  // BeerXML is upper case, but hand-edited files and some tools are not.
  transformTagName: (name) => name.toUpperCase(),
  isArray: (name) => RECORD_TAGS.has(name),
});

/** Deeper than any BeerXML file (RECIPES, RECIPE, HOPS, HOP, field: 5 levels). */
const MAX_DEPTH = 64;

/** Element nesting deeper than `max`, found in one pass over the tags (comments and CDATA are not tags). */
function xmlNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  const tags = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<([/?!]?)[^>]*?(\/?)>/g;
  for (let m = tags.exec(text); m !== null; m = tags.exec(text)) {
    const [, lead, selfClosing] = m;
    if (lead === '/') depth--;
    else if (lead === '' && selfClosing === '' && ++depth > max) return true;
  }
  return false;
}

export function parseBeerXml(
  bytes: Buffer,
  what: string,
): { recipes: XmlRecord[]; parent: string; locator: XmlLocator; warnings: FormatWarning[] } {
  const { text, warnings } = decodeXmlBytes(bytes);
  // XML allows white space nowhere inside "<!ENTITY", but a parser may be lenient: refuse any spelling.
  if (/<!\s*ENTITY/i.test(text)) throw new XmlEntitiesRefusedError(what);
  if (xmlNestsDeeperThan(text, MAX_DEPTH)) {
    throw new RecipeFileMalformedError(what, 'XML', `it nests elements more than ${MAX_DEPTH} levels deep`);
  }
  let root: XmlRecord;
  try {
    const check = XMLValidator.validate(text);
    if (check !== true) {
      throw new RecipeFileMalformedError(what, 'XML', check.err.msg, check.err.line, check.err.col);
    }
    root = parser.parse(text) as XmlRecord;
  } catch (err) {
    if (err instanceof RecipeFileMalformedError) throw err;
    // Whatever else the parser trips on is still a malformed file, said as such.
    throw new RecipeFileMalformedError(what, 'XML', (err as Error).message.slice(0, 200));
  }
  const set = root.RECIPES;
  let recipes: XmlRecord[] | undefined;
  let parent = '';
  if (set !== undefined && typeof set === 'object' && !Array.isArray(set)) {
    recipes = Array.isArray(set.RECIPE) ? set.RECIPE : [];
    parent = '/RECIPES';
  } else if (Array.isArray(root.RECIPE)) {
    recipes = root.RECIPE;
  }
  if (recipes === undefined || recipes.length === 0) {
    const top = Object.keys(root).filter((k) => k !== '#text');
    throw new BeerXmlInvalidError(what, [
      `no <RECIPE> record found (the file holds ${top.length === 0 ? 'nothing' : top.map((t) => `<${t}>`).join(', ')}); cobrew imports BeerXML recipes: <RECIPES><RECIPE>…</RECIPE></RECIPES>`,
    ]);
  }
  return { recipes, parent, locator: new XmlLocator(text), warnings };
}
