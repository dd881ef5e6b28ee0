// Reading BeerXML field values as they come from real tools: empty tags and "-" mean absent, booleans in
// any case, decimal commas, gravities written as 1053 instead of 1.053, fractions where 0-100 is due.
// Every tolerance leaves a warning; a required value that cannot be read becomes a problem.
import type { XmlLocator } from './beerxml-locate.js';
import type { XmlRecord } from './beerxml-parse.js';
import { platoToSg } from './units.js';
import type { FormatWarning } from './warnings.js';

export class FieldReader {
  constructor(
    private readonly locator: XmlLocator,
    private readonly warnings: FormatWarning[],
    private readonly problems: string[],
  ) {}

  /** A reader for the record at `path` (`/RECIPES/RECIPE[1]/HOPS/HOP[2]`), which messages name. */
  record(rec: XmlRecord, path: string): RecordFields {
    return new RecordFields(rec, path, this.locator, this.warnings, this.problems);
  }

  /** `path (line n)`: where an element is, for a person with the file open. */
  where(path: string): string {
    const line = this.locator.line(path);
    return line === undefined ? path : `${path} (line ${line})`;
  }
}

export class RecordFields {
  constructor(
    readonly rec: XmlRecord,
    readonly path: string,
    private readonly locator: XmlLocator,
    private readonly warnings: FormatWarning[],
    private readonly problems: string[],
  ) {}

  /**
   * The element a message is about and its line: the field's own when the file has it, else its record's
   * (a missing field), with the record's name when it has one.
   */
  where(tag?: string): string {
    const path = tag === undefined ? this.path : `${this.path}/${tag}`;
    const line = this.locator.line(path) ?? this.locator.line(this.path);
    const name = typeof this.rec.NAME === 'string' && this.rec.NAME.trim() !== '' ? this.rec.NAME.trim() : '';
    const about = [line === undefined ? '' : `line ${line}`, name === '' ? '' : `"${name}"`]
      .filter((s) => s !== '')
      .join(', ');
    return about === '' ? path : `${path} (${about})`;
  }

  warn(code: string, message: string, tag?: string): void {
    this.warnings.push({ code, message: `${this.where(tag)}: ${message}` });
  }

  problem(message: string, tag?: string): void {
    this.problems.push(`${this.where(tag)}: ${message}`);
  }

  /** Trimmed text, or undefined for a missing, empty or "-" tag, or a tag holding records. */
  text(tag: string): string | undefined {
    const v = this.rec[tag];
    if (typeof v !== 'string') return undefined;
    const t = v.trim();
    return t === '' || t === '-' ? undefined : t;
  }

  /** A nested record (e.g. STYLE, MASH), if present and not empty. */
  child(tag: string): XmlRecord | undefined {
    const v = this.rec[tag];
    return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  }

  /** The members of a record set (e.g. HOPS → HOP list). */
  list(setTag: string, memberTag: string): XmlRecord[] {
    const set = this.child(setTag);
    const members = set?.[memberTag];
    return Array.isArray(members) ? members : [];
  }

  number(tag: string): number | undefined {
    const t = this.text(tag);
    if (t === undefined) return undefined;
    let s = t;
    if (/^[-+]?\d+,\d+$/.test(s)) {
      s = s.replace(',', '.');
      this.warn('BEERXML_DECIMAL_COMMA', `${tag} "${t}" has a decimal comma; read as ${s}`, tag);
    }
    const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isFinite(n)) {
      this.warn('BEERXML_VALUE_UNREADABLE', `${tag} "${t}" is not a number; left out`, tag);
      return undefined;
    }
    return n;
  }

  /** A value BeerXML requires; every such value (amount, yield, colour, alpha, batch size) is ≥ 0. */
  required(tag: string): number | undefined {
    const n = this.number(tag);
    if (n === undefined) this.problem(`${tag} is missing or not a number; BeerXML requires it`, tag);
    else if (n < 0) {
      this.problem(`${tag} ${n} is negative; it must be 0 or more`, tag);
      return undefined;
    }
    return n;
  }

  bool(tag: string): boolean | undefined {
    const t = this.text(tag)?.toLowerCase();
    if (t === undefined) return undefined;
    if (['true', '1', 'yes'].includes(t)) return true;
    if (['false', '0', 'no'].includes(t)) return false;
    this.warn(
      'BEERXML_VALUE_UNREADABLE',
      `${tag} "${this.text(tag)}" is neither TRUE nor FALSE; left out`,
      tag,
    );
    return undefined;
  }

  /**
   * A specific gravity. "1053" (SG × 1000) and "12.5" (degrees Plato, written by tools whose display unit
   * is Plato) are converted with a warning.
   */
  gravity(tag: string): number | undefined {
    const n = this.number(tag);
    if (n === undefined) return undefined;
    if (n >= 900 && n < 1200) {
      this.warn('BEERXML_GRAVITY_SCALED', `${tag} ${n} read as specific gravity ${n / 1000}`, tag);
      return n / 1000;
    }
    if (n >= 2 && n <= 40) {
      // BeerSmith set to Plato writes its display unit into OG/FG.
      const sg = platoToSg(n);
      this.warn(
        'BEERXML_GRAVITY_SCALED',
        `${tag} ${n} read as ${n} °Plato, specific gravity ${sg.toFixed(4)}`,
        tag,
      );
      return sg;
    }
    if (n < 0.9 || n > 1.2) {
      this.warn('BEERXML_VALUE_UNREADABLE', `${tag} ${n} is not a specific gravity; left out`, tag);
      return undefined;
    }
    return n;
  }

  /**
   * A 0-100 percentage for a field where a value at or below 1 makes no sense (efficiency, attenuation,
   * yield): such a value was written as a fraction, and is scaled with a warning.
   */
  percent(tag: string, value = this.number(tag)): number | undefined {
    if (value === undefined) return undefined;
    if (value > 0 && value <= 1) {
      this.warn(
        'BEERXML_PERCENT_SCALED',
        `${tag} ${value} looks like a fraction; read as ${value * 100} %`,
        tag,
      );
      return value * 100;
    }
    return value;
  }

  /**
   * A value of the display extensions (EST_COLOR "79 EBC", EST_ABV "5.2 %"): the number and the unit
   * word after it, if any.
   */
  display(tag: string): { value: number; unit: string } | undefined {
    const t = this.text(tag);
    if (t === undefined) return undefined;
    const m = /^([-+]?\d+(?:[.,]\d+)?)\s*([A-Za-z%°]*)/.exec(t);
    if (m === null) {
      this.warn('BEERXML_VALUE_UNREADABLE', `${tag} "${t}" holds no number; left out`, tag);
      return undefined;
    }
    return { value: Number((m[1] as string).replace(',', '.')), unit: (m[2] as string).toLowerCase() };
  }

  /** A display gravity (EST_OG "1.049 sg", "12.1 °P"): specific gravity, or undefined. */
  displayGravity(tag: string): number | undefined {
    const d = this.display(tag);
    if (d === undefined) return undefined;
    if (d.unit === '' || d.unit === 'sg') {
      return d.value >= 900 && d.value < 1200 ? d.value / 1000 : d.value;
    }
    if (d.unit === 'p' || d.unit === '°p' || d.unit === 'plato') return platoToSg(d.value);
    this.warn('BEERXML_VALUE_UNREADABLE', `${tag} "${this.text(tag)}" has an unknown unit; left out`, tag);
    return undefined;
  }
}
