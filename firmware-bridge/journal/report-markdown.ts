// The support report as Markdown: the verdict a volunteer needs comes first (reference or modified board,
// firmware, configuration differences, incidents count), the evidence after.
import type { Reading } from './entries.js';
import type { SupportReport } from './report.js';

/** Readings shown per side of an incident in the Markdown (the JSON twin has them all). */
const SHOWN_READINGS = 12;

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('.000Z', 'Z');
};

/**
 * Text from a board or the journal, as plain Markdown text on one line: no link, image, HTML, code span,
 * table cell or new paragraph can come out of it, so a board's reply cannot add them to the report a
 * volunteer opens.
 */
export function md(text: unknown): string {
  return (
    String(text)
      .replace(/[\r\n]+/g, ' ')
      .replace(/[\\`*|~]/g, '\\$&')
      // A link or an image needs "](" (an autolink "<…>" is escaped below): fermenters[ale] stays readable.
      .replace(/\]\(/g, ']\\(')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/** The same for text that starts a line, where `#`, `-`, `+`, `=` or `1.` would make a heading or a list. */
const mdLine = (text: unknown) =>
  md(text)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)\./, '$1\\.');

/** A value as inline code: JSON with any backtick run that could end the code span made harmless. */
const code = (value: unknown) => `\`${JSON.stringify(value).replace(/`/g, '\\u0060')}\``;
const c = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(2));

export function headline(r: SupportReport): string[] {
  const lines: string[] = [];
  const real = r.boards.filter((b) => b.kind !== 'sim');
  if (r.verdict === 'simulated') lines.push('- **Board: none** — every fermenter runs on the simulator.');
  else if (r.verdict === 'reference') {
    const list = real.map((b) => `${md(b.fermenterId)} (${md(b.kind)} on ${md(b.port)})`).join(', ');
    lines.push(
      `- **Board: REFERENCE design** (${[...new Set(real.map((b) => md(b.profile)))].join(', ')}) — ${list}.`,
    );
  } else if (r.verdict === 'no-board-failsafe') {
    const parts = real.map(
      (b) => `${b.fermenterId} (${b.kind} on ${b.port}, profile ${b.profile}): ${b.warnings.join('; ')}`,
    );
    lines.push(`- **Board: NO BOARD FAILSAFE** — not the reference design: ${parts.join(' | ')}.`);
  } else {
    const parts = real
      .filter((b) => b.modified || b.modifiedInJournal || b.warnings.length > 0)
      .map((b) => {
        const warned = b.warnings.length > 0 ? `; ${b.warnings.map(md).join('; ')}` : '';
        const unmodified = b.kind === 'cobrew' ? 'reference now' : 'unmodified';
        const now = `${b.modified ? b.deviations.map(md).join('; ') : unmodified}${warned}`;
        const past =
          b.modifiedInJournal && !b.modified ? ', but modified at an earlier start in the journal' : '';
        return `${md(b.fermenterId)} (${md(b.kind)} on ${md(b.port)}, profile ${md(b.profile)}): ${now}${past}`;
      });
    lines.push(`- **Board: MODIFIED** — not the reference design: ${parts.join(' | ')}.`);
  }
  const fw =
    r.firmware.length === 0
      ? real.length === 0
        ? 'none (simulator)'
        : 'not recorded: no board identified itself in the journal'
      : r.firmware
          .map(
            (f) =>
              `${md(f.fermenterId)}: ${md(f.firmware)} ${md(f.version)} (profile ${md(f.profile)}${f.resetCause === null ? '' : `, last reset: ${md(f.resetCause)}`}${f.brownOutMv === null ? '' : `, brown-out detection ${f.brownOutMv === 0 ? 'disabled' : `${f.brownOutMv / 1000} V`}`}, seen ${iso(f.seenAt)})${f.warning === null ? '' : ` — WARNING: ${md(f.warning)}`}`,
          )
          .join('; ');
  lines.push(`- **Firmware:** ${fw}.`);
  const diffs = r.configDifferences.flatMap((d) =>
    d.changes.map((ch) => (d.fermenterId === null ? md(ch) : `fermenters[${md(d.fermenterId)}].${md(ch)}`)),
  );
  lines.push(
    `- **Configuration vs defaults:** ${diffs.length === 0 ? 'no differences' : `${diffs.length} difference${diffs.length === 1 ? '' : 's'}: ${diffs.slice(0, 8).join('; ')}${diffs.length > 8 ? '; … (all below)' : ''}`} (hash ${r.configHash}).`,
  );
  const trips = r.incidents.filter((i) => i.severity === 'trip').length;
  lines.push(
    `- **Incidents:** ${r.incidents.length} (${trips} trip${trips === 1 ? '' : 's'}, ${r.incidents.length - trips} alarm${r.incidents.length - trips === 1 ? '' : 's'}) in the journal${r.journal.since === null ? '' : ` since ${iso(r.journal.since)}`}.`,
  );
  return lines;
}

function sample(list: Reading[], fromEnd: boolean): Reading[] {
  if (list.length <= SHOWN_READINGS) return list;
  const step = Math.ceil(list.length / SHOWN_READINGS);
  // Keep the readings nearest the incident: count from the incident outwards.
  const picked = (fromEnd ? [...list].reverse() : list).filter((_, i) => i % step === 0);
  return fromEnd ? picked.reverse() : picked;
}

function readingsTable(before: Reading[], after: Reading[] | null, at: number): string[] {
  const row = (x: Reading, side: string) =>
    `| ${side} | ${((x.at - at) / 1000).toFixed(0)} s | ${c(x.beer)} | ${c(x.chamber)} | ${c(x.ambient)} | ${x.outputs === undefined ? '' : `${x.outputs.heat ? 'heat' : ''}${x.outputs.cool ? 'cool' : ''}` || 'off'} |`;
  return [
    '| | time | beer °C | chamber °C | room °C | outputs |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sample(before, true).map((x) => row(x, 'before')),
    ...(after === null
      ? ['| after | — | not recorded | | | |']
      : sample(after, false).map((x) => row(x, 'after'))),
  ];
}

export function renderMarkdown(r: SupportReport): string {
  const out: string[] = [`# cobrew support report`, '', ...headline(r), ''];
  out.push(
    `Generated ${r.generatedAt} by cobrew ${r.cobrewVersion} from ${r.configFile ?? 'the built-in default configuration'}. ` +
      'The JSON twin of this file has every reading.',
    '',
    '## Boards',
    '',
  );
  for (const b of r.boards) {
    out.push(
      `- **${md(b.fermenterId)}**: ${md(b.kind)}${b.port === null ? '' : ` on ${md(b.port)}`}, profile ${md(b.profile)}, ${b.modified ? 'MODIFIED' : 'as designed'}`,
    );
    for (const d of b.deviations) out.push(`  - ${md(d)}`);
  }
  out.push('', '## Configuration differences from the defaults', '');
  for (const d of r.configDifferences) {
    out.push(
      `- ${d.fermenterId === null ? 'outside fermenters' : `fermenter ${md(d.fermenterId)}`}: ${d.changes.length === 0 ? 'none' : ''}`,
    );
    for (const ch of d.changes) out.push(`  - ${md(ch)}`);
  }
  out.push('', '## Incidents', '');
  if (r.incidents.length === 0) out.push('None in the journal.');
  for (const i of r.incidents) {
    out.push(
      `### ${iso(i.at)} · ${md(i.fermenterId)} · ${md(i.code)} (${md(i.severity)})`,
      '',
      mdLine(i.message),
      '',
      `Outputs at the incident: heat ${i.outputs.heat ? 'on' : 'off'}, cool ${i.outputs.cool ? 'on' : 'off'}.${i.detail === null ? '' : ` Detail: ${code(i.detail)}`}`,
      '',
      ...readingsTable(i.before, i.after, i.at),
      '',
    );
  }
  out.push('## Board events', '');
  if (r.boardEvents.length === 0) out.push('None in the journal.');
  for (const e of r.boardEvents) {
    const { at, kind, ...rest } = e;
    out.push(`- ${iso(at)} ${md(kind)}: ${code(rest)}`);
  }
  out.push('', '## Refused starts and commands, firmware flashes, board checks', '');
  if (r.otherEvents.length === 0) out.push('None in the journal.');
  for (const e of r.otherEvents) {
    const { at, kind, ...rest } = e;
    out.push(`- ${iso(at)} ${md(kind)}: ${code(rest)}`);
  }
  out.push(
    '',
    '## Journal',
    '',
    `${r.journal.entries} entries from ${r.journal.files.join(', ') || 'no journal file'}${r.journal.skipped > 0 ? `; ${r.journal.skipped} unreadable lines skipped` : ''}.`,
    '',
  );
  return out.join('\n');
}
