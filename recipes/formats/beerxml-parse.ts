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

export function parseBeerXml(
  bytes: Buffer,
  what: string,
): { recipes: XmlRecord[]; parent: string; locator: XmlLocator; warnings: FormatWarning[] } {
  const { text, warnings } = decodeXmlBytes(bytes);
  if (/<!ENTITY/i.test(text)) throw new XmlEntitiesRefusedError(what);
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new RecipeFileMalformedError(what, 'XML', check.err.msg, check.err.line, check.err.col);
  }
  const root = parser.parse(text) as XmlRecord;
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
