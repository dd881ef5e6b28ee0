// Attribution for a recipe version, from its lineage: the title, every author along the way, where each
// step was made (with a link when that space gave its URL), the licence, and the change noted at each step.
// CC BY-SA 4.0 §3(a) asks adaptations to credit the authors, indicate their changes and keep earlier
// notices; this keeps every step, oldest first. Text and Markdown in French or English, and JSON.
import { type Licence, licence } from './licences.js';
import type { LineageNode, Origin, PrivateNode } from './types.js';

export type StepKind = 'created' | 'revised' | 'forked';

export interface AttributionStep {
  kind: StepKind;
  recipeId: string;
  versionId: string;
  number: number;
  /** The recipe's name in that version. */
  title: string;
  author: string;
  createdAt: number;
  /** The change note, as written (untrusted text). */
  note: string;
  licence: string;
  origin: Origin;
  /** Where the version can be fetched, when its space gave a URL. */
  link: string | null;
  /** For a fork: the version it was made from. */
  forkedFrom: { title: string; number: number } | null;
}

/** A step the reader may not see (a private version): said to be there, nothing more. */
export interface PrivateStep {
  private: true;
}

export interface Attribution {
  versionId: string;
  recipeId: string;
  number: number;
  title: string;
  licence: Licence;
  /** Everyone who authored a step, in the order they first appear. */
  authors: string[];
  /** Oldest first; the last is the version itself. */
  steps: Array<AttributionStep | PrivateStep>;
}

/** The API address of a version in the space that made it. */
export function versionLink(origin: Origin, recipeId: string, number: number): string | null {
  if (origin.url === null) return null;
  return `${origin.url.replace(/\/+$/, '')}/api/recipes/${recipeId}/versions/${number}`;
}

const isPrivate = (n: LineageNode | PrivateNode): n is PrivateNode => 'private' in n;

/**
 * `chain` runs from the root of the lineage to the version, each node the parent of the next; the version
 * itself is one the reader may see, the others may be private placeholders.
 */
export function buildAttribution(chain: ReadonlyArray<LineageNode | PrivateNode>): Attribution {
  const last = chain.at(-1);
  if (last === undefined || isPrivate(last)) throw new RangeError('an attribution needs a version to show');
  const steps = chain.map((node, i): AttributionStep | PrivateStep => {
    if (isPrivate(node)) return { private: true };
    const previous = i === 0 ? undefined : chain[i - 1];
    // After a private version the step is a fork: had it been of the same recipe, it would be private too.
    const kind: StepKind =
      previous === undefined
        ? 'created'
        : isPrivate(previous) || previous.recipeId !== node.recipeId
          ? 'forked'
          : 'revised';
    return {
      kind,
      recipeId: node.recipeId,
      versionId: node.id,
      number: node.number,
      title: node.title,
      author: node.author,
      createdAt: node.createdAt,
      note: node.note,
      licence: node.licence,
      origin: node.origin,
      link: versionLink(node.origin, node.recipeId, node.number),
      forkedFrom:
        kind === 'forked' && previous !== undefined && !isPrivate(previous)
          ? { title: previous.title, number: previous.number }
          : null,
    };
  });
  const shown = chain.filter((n): n is LineageNode => !isPrivate(n));
  return {
    versionId: last.id,
    recipeId: last.recipeId,
    number: last.number,
    title: last.title,
    licence: licence(last.licence),
    authors: [...new Set(shown.map((n) => n.author))],
    steps,
  };
}

const WORDS = {
  en: {
    version: 'version',
    licence: 'Licence',
    authors: 'Authors',
    steps: 'Lineage and changes, oldest first',
    by: 'by',
    created: 'created',
    revised: 'revised',
    forked: 'forked from',
    noNote: '(no change note)',
    privateVersion: 'a private version',
    quote: (s: string) => `“${s}”`,
  },
  fr: {
    version: 'version',
    licence: 'Licence',
    authors: 'Auteurs',
    steps: 'Filiation et modifications, de la plus ancienne à la plus récente',
    by: 'par',
    created: 'création',
    revised: 'révision',
    forked: 'dérivée de',
    noNote: '(sans note de modification)',
    privateVersion: 'une version privée',
    quote: (s: string) => `« ${s} »`,
  },
} as const;

export type AttributionLang = keyof typeof WORDS;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Backslash-escapes Markdown punctuation and writes < and & as entities, so notes show as typed. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

/** A URL safe inside Markdown's `(…)`: spaces and parentheses percent-encoded. */
function markdownUrl(url: string): string {
  return encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function stepWhat(
  s: AttributionStep,
  w: (typeof WORDS)[AttributionLang],
  esc: (t: string) => string,
): string {
  if (s.kind === 'forked') {
    if (s.forkedFrom === null) return `${w.forked} ${w.privateVersion}`;
    return `${w.forked} ${w.quote(esc(s.forkedFrom.title))} ${w.version} ${s.forkedFrom.number}`;
  }
  return s.kind === 'created' ? w.created : w.revised;
}

export function attributionText(a: Attribution, lang: AttributionLang = 'en'): string {
  const w = WORDS[lang];
  const lines = [
    `${w.quote(a.title)}, ${w.version} ${a.number}`,
    `${w.licence}: ${a.licence.id} (${a.licence.name}) ${a.licence.url}`,
    `${w.authors}: ${a.authors.join(', ')}`,
    `${w.steps}:`,
  ];
  a.steps.forEach((s, i) => {
    if ('private' in s) {
      lines.push(`${i + 1}. ${w.privateVersion}`);
      return;
    }
    lines.push(
      `${i + 1}. ${w.quote(s.title)} ${w.version} ${s.number} ${w.by} ${s.author}, ${day(s.createdAt)}, ` +
        `${s.origin.name}, ${s.licence}: ${stepWhat(s, w, (t) => t)}. ${s.note === '' ? w.noNote : s.note}`,
    );
    if (s.link !== null) lines.push(`   ${s.link}`);
  });
  return `${lines.join('\n')}\n`;
}

export function attributionMarkdown(a: Attribution, lang: AttributionLang = 'en'): string {
  const w = WORDS[lang];
  const e = escapeMarkdown;
  const lines = [
    `**${w.quote(e(a.title))}**, ${w.version} ${a.number}`,
    '',
    `${w.licence}: [${a.licence.id}](${a.licence.url}) (${e(a.licence.name)})`,
    '',
    `${w.authors}: ${a.authors.map(e).join(', ')}`,
    '',
    `${w.steps}:`,
    '',
  ];
  a.steps.forEach((s, i) => {
    if ('private' in s) {
      lines.push(`${i + 1}. ${w.privateVersion}`);
      return;
    }
    const title = `${w.quote(e(s.title))} ${w.version} ${s.number}`;
    const named = s.link === null ? title : `[${title}](${markdownUrl(s.link)})`;
    lines.push(
      `${i + 1}. ${named} ${w.by} ${e(s.author)}, ${day(s.createdAt)}, ${e(s.origin.name)}, ${s.licence}: ` +
        `${stepWhat(s, w, e)}. ${s.note === '' ? w.noNote : e(s.note)}`,
    );
  });
  return `${lines.join('\n')}\n`;
}
