// The status page: server-rendered, readable without JavaScript; a small script swaps in a fresh list.
import type { FermenterState } from '../../firmware-bridge/types.js';
import type { FermenterView } from '../fermenter-list.js';
import { type Formats, formatsFor, type Locale, MESSAGES, type Messages } from '../i18n.js';
import { Html, html } from './html.js';

export const REFRESH_MS = 2000;

/** The page's one inline style; the Content-Security-Policy allows it by its hash. */
export const STYLE = `
body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:1rem;background:#faf8f5;color:#222}
header.page{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;gap:.5rem}
h1{margin:0}.muted{color:#666}
#fermenters{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));margin-top:1rem}
.fermenter{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem}
.fermenter h2{margin:0 0 .5rem;font-size:1.2rem;display:flex;justify-content:space-between;gap:.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.15rem .4rem}td.num{text-align:right}
dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;margin:.75rem 0 0}dt{color:#555}dd{margin:0}
.badge{font-size:.8rem;border-radius:1rem;padding:.1rem .6rem;white-space:nowrap}
.safety-ok{background:#e3f4e1}.safety-alarm{background:#fff1c2}.safety-tripped{background:#fbd5d5}
.board-modified,.board-warning{background:#fbd5d5}.on{font-weight:bold}#connection{background:#fbd5d5;padding:.5rem;border-radius:.25rem}
`;

export function renderStatusPage(
  locale: Locale,
  fermenters: FermenterView[],
  broker: { kind: 'embedded' | 'mosquitto' | 'external'; url: string },
): string {
  const t = MESSAGES[locale];
  const other: Locale = locale === 'fr' ? 'en' : 'fr';
  return `<!doctype html>\n${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cobrew · ${t.title}</title>
<noscript><meta http-equiv="refresh" content="5"></noscript>
<style>${new Html(STYLE)}</style>
<script src="/assets/status.js" defer></script>
</head>
<body>
<header class="page">
<h1>${t.title}</h1>
<a href="?lang=${other}" hreflang="${other}" lang="${other}">${t.otherLanguage}</a>
</header>
<p class="muted">${t.subtitle}</p>
<p class="muted" id="broker">${broker.kind === 'external' ? t.brokerExternal : broker.kind === 'mosquitto' ? t.brokerMosquitto : t.brokerEmbedded} <code>${broker.url}</code></p>
<p id="connection" role="status" hidden>${t.connectionLost}</p>
<main id="fermenters" aria-live="polite">${renderFermenterList(locale, fermenters)}</main>
</body>
</html>`}\n`;
}

/** The part of the page the script refreshes. */
export function renderFermenterList(locale: Locale, fermenters: FermenterView[]): Html {
  const t = MESSAGES[locale];
  if (fermenters.length === 0) return html`<p>${t.noFermenters}</p>`;
  const f = formatsFor(locale);
  return html`${fermenters.map((v) => renderFermenter(t, f, v))}`;
}

function renderFermenter(t: Messages, f: Formats, v: FermenterView): Html {
  const s = v.state;
  const badge =
    s === null
      ? ''
      : html`<span class="badge safety-${s.safety.status}">${t.safetyStatus[s.safety.status]}</span>`;
  return html`<article class="fermenter" id="fermenter-${v.id}" data-id="${v.id}">
<h2><span>${v.name}</span>${badge}</h2>
${s === null ? html`<p class="empty"><strong>${t.noData}</strong><br><span class="muted">${t.noDataHint}</span></p>` : renderState(t, f, s)}
</article>`;
}

function renderState(t: Messages, f: Formats, s: FermenterState): Html {
  const output = (label: string, on: boolean) =>
    html`<span class="${on ? 'on' : 'off'}">${label} ${on ? t.on : t.off}</span>`;
  const codes = (list: string[]) => html`${list.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c}</code>`)}`;
  const row = (label: string, value: unknown) => html`<dt>${label}</dt><dd>${value}</dd>\n`;
  return html`<table>
<thead><tr><th></th><th>${t.temperature}</th><th>${t.setpoint}</th></tr></thead>
<tbody>
<tr><th scope="row">${t.beer}</th><td class="num">${f.celsius(s.beerC)}</td><td class="num">${f.celsius(s.beerSetpointC)}</td></tr>
<tr><th scope="row">${t.chamber}</th><td class="num">${f.celsius(s.chamberC)}</td><td class="num">${f.celsius(s.chamberSetpointC)}</td></tr>
<tr><th scope="row">${t.ambient}</th><td class="num">${f.celsius(s.ambientC)}</td><td class="num"></td></tr>
</tbody>
</table>
<dl>
${[
  row(t.mode, t.modes[s.mode]),
  row(t.outputs, html`${output(t.heat, s.outputs.heat)} · ${output(t.cool, s.outputs.cool)}`),
  row(t.controller, html`<code>${s.controllerState}</code>`),
  s.board !== undefined && row(t.board, renderBoard(t, s.board)),
  s.safety.trips.length > 0 && row(t.trips, codes(s.safety.trips)),
  s.safety.alarms.length > 0 && row(t.alarms, codes(s.safety.alarms)),
  s.gravity !== null && row(t.gravity, f.gravity(s.gravity)),
  s.hydrometerBatteryV !== null && row(t.hydrometerBattery, f.volts(s.hydrometerBatteryV)),
  row(t.readingAt, readingTime(f, s.at)),
]}</dl>`;
}

/** A time no date can hold (the store refuses them; a page must still render if one got through) shows blank. */
function readingTime(f: Formats, at: number): Html | string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return html`<time datetime="${date.toISOString()}">${f.dateTime(at)}</time>`;
}

/** The board's kind and profile; a board that is not the reference design is marked `modified` for all to see. */
function renderBoard(t: Messages, b: NonNullable<FermenterState['board']>): Html {
  const modified = b.modified
    ? html` <span class="badge board-modified" title="${t.boardModifiedHint}: ${b.deviations.join('; ')}">${t.boardModified}</span>`
    : '';
  const firmware = b.firmware === undefined ? '' : html` · ${b.firmware}`;
  const offline = b.connected ? '' : html` · ${t.boardOffline}`;
  const warnings = (b.warnings ?? []).map(
    (w) => html` <span class="badge board-warning" title="${w}">${t.boardWarning}</span>`,
  );
  return html`<code>${b.kind}</code> ${b.profile}${firmware}${offline}${modified}${warnings}`;
}
