// Where each BeerXML element starts, so that a message names the element as the file has it
// (`/RECIPES/RECIPE[2]/HOPS/HOP[3]/ALPHA`, line 57) rather than a path in the converted document.
// The parser gives no positions; one pass over the tags gives them. Record members (RECIPE, HOP…) are
// numbered from 1 within their parent, as the parser counts them; other tags appear once.

/** Tags that form BeerXML record sets (`<HOPS><HOP>…`): always lists, even with one member. */
export const RECORD_TAGS = new Set(['RECIPE', 'HOP', 'FERMENTABLE', 'MISC', 'YEAST', 'WATER', 'MASH_STEP']);

/** Path of a record member: `/RECIPES/RECIPE[1]`. */
export const memberPath = (parent: string, tag: string, index: number): string =>
  `${parent}/${tag}[${index + 1}]`;

export class XmlLocator {
  private readonly lines = new Map<string, number>();

  constructor(text: string) {
    // Comments, CDATA, processing instructions and the DOCTYPE hold no elements: skipped whole.
    const token =
      /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![^>]*>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
    const stack: { path: string; counts: Map<string, number> }[] = [{ path: '', counts: new Map() }];
    let line = 1;
    let at = 0;
    for (let m = token.exec(text); m !== null; m = token.exec(text)) {
      // Line ends as XML counts them: LF, CRLF, and the lone CR of old Mac exports.
      for (let i = at; i < m.index; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
      }
      at = m.index;
      const name = m[2];
      if (name === undefined) continue;
      const tag = name.toUpperCase();
      if (m[1] === '/') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const parent = stack[stack.length - 1] as { path: string; counts: Map<string, number> };
      const seen = parent.counts.get(tag) ?? 0;
      parent.counts.set(tag, seen + 1);
      const path = RECORD_TAGS.has(tag) ? memberPath(parent.path, tag, seen) : `${parent.path}/${tag}`;
      if (!this.lines.has(path)) this.lines.set(path, line);
      if (m[3] !== '/') stack.push({ path, counts: new Map() });
    }
  }

  /** The line an element starts on, if the file has it. */
  line(path: string): number | undefined {
    return this.lines.get(path);
  }
}
