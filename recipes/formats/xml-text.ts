// Bytes to text. BeerXML files say ISO-8859-1 in their header but are often UTF-8, or the other way
// round, or UTF-8 that was decoded as Latin-1 and saved again: trust the bytes, not the label, and say
// so with a warning whenever the two disagree.
import { RecipeFileMalformedError } from './errors.js';
import type { FormatWarning } from './warnings.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Files labelled ISO-8859-1 by Windows tools are Windows-1252: €, œ, curly quotes in 0x80-0x9F, where
// ISO-8859-1 has only control characters. Node decodes "latin1" as plain ISO-8859-1, so that block is
// mapped here (the five bytes Windows-1252 leaves undefined stay as they are).
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80] as string);
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const isAscii = (bytes: Uint8Array): boolean => bytes.every((b) => b < 0x80);

/** The encoding an XML declaration names, lower case, if any. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const m = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1]?.toLowerCase();
}

const UTF8_NAMES = new Set(['utf-8', 'utf8']);

/**
 * UTF-8 text that went through a Latin-1 decoder once too often ("BiÃ¨re"): every non-ASCII character
 * is then below U+0100 and, taken back as bytes, they form valid multi-byte UTF-8.
 */
function undoDoubleEncoding(text: string): string | undefined {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(text)) return undefined;
  for (const ch of text) if (ch.charCodeAt(0) > 0xff) return undefined;
  const bytes = Buffer.from(text, 'latin1');
  return isUtf8(bytes) ? utf8.decode(bytes) : undefined;
}

/** Decodes an XML file's bytes, whatever its header claims. */
export function decodeXmlBytes(bytes: Buffer): { text: string; warnings: FormatWarning[] } {
  const warnings: FormatWarning[] = [];
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes), warnings };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes), warnings };
  const declared = declaredEncoding(bytes) ?? 'utf-8';
  let text: string;
  if (isAscii(bytes)) {
    text = bytes.toString('latin1');
  } else if (isUtf8(bytes)) {
    text = utf8.decode(bytes);
    if (!UTF8_NAMES.has(declared)) {
      warnings.push({
        code: 'XML_ENCODING_MISLABELLED',
        message: `the header says ${declared.toUpperCase()} but the bytes are UTF-8; read as UTF-8`,
      });
    }
  } else {
    text = decodeWindows1252(bytes);
    if (UTF8_NAMES.has(declared)) {
      warnings.push({
        code: 'XML_ENCODING_MISLABELLED',
        message: 'the header says UTF-8 but the bytes are not UTF-8; read as ISO-8859-1 (Windows-1252)',
      });
    }
  }
  const repaired = undoDoubleEncoding(text);
  if (repaired !== undefined) {
    warnings.push({
      code: 'XML_DOUBLE_ENCODED',
      message: 'the text was UTF-8 decoded as ISO-8859-1 and saved again (e.g. "Ã©" for "é"); undone',
    });
    text = repaired;
  }
  return { text: text.replace(/^\ufeff/, ''), warnings };
}

/** JSON is UTF-8 (RFC 8259); anything else is refused with the place of the first bad byte. */
export function decodeJsonBytes(bytes: Buffer, what: string): string {
  try {
    return utf8.decode(bytes).replace(/^\ufeff/, '');
  } catch {
    // The lenient decoder marks the first bad byte with U+FFFD: report its line and column.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const before = lenient.slice(0, lenient.indexOf('\ufffd'));
    const line = before.split('\n').length;
    throw new RecipeFileMalformedError(
      what,
      'JSON',
      'its bytes are not UTF-8 (save it as UTF-8, which JSON requires)',
      line,
      before.length - before.lastIndexOf('\n'),
    );
  }
}
