// Hardware in the commons: board profiles (with the ratings a space using one will be checked against) and
// reference boards, each with its licence, authors, origin and what it was derived from.
import { t } from '../../prefs.js';
import { commons, type HardwareItem } from './api.js';
import { rt } from './i18n.js';
import { useLoad } from './load.js';
import { Show, When } from './parts.js';

interface Channel {
  type?: string;
  pin?: string;
  part?: string;
  ratedA?: number;
  dropV?: number;
  heatSink?: { cPerW: number } | 'none';
  resistiveA?: number;
  motor?: { fullLoadA: number; lockedRotorA: number } | null;
}

/** A channel's ratings in a few words: what the rating check compares loads with. */
function rating(c: Channel): string {
  // The continuous current follows from the heat sink; the rating check works it out where it is used.
  if (c.type === 'ssr') {
    const sink =
      c.heatSink === undefined || c.heatSink === 'none'
        ? 'no heat sink'
        : `${c.heatSink.cPerW} °C/W heat sink`;
    return `${c.ratedA} A rated, ${sink}, ${c.dropV} V drop`;
  }
  const motor = c.motor
    ? `, motor ${c.motor.fullLoadA} A / ${c.motor.lockedRotorA} A LRA`
    : ', no motor rating';
  return `${c.resistiveA} A resistive${motor}`;
}

function Ratings({ document }: { document: unknown }) {
  const h = rt.value.hardware;
  const doc = document as { basedOn?: string; channels?: Record<string, Channel> };
  const channels = Object.entries(doc.channels ?? {});
  return (
    <>
      {doc.basedOn !== undefined && <p class="small">{h.basedOn(doc.basedOn)}</p>}
      {channels.length > 0 && (
        <table class="commons-table" data-testid="ratings">
          <caption>{h.channels}</caption>
          <thead>
            <tr>
              <th scope="col">{h.channel}</th>
              <th scope="col">{h.part}</th>
              <th scope="col">{h.rating}</th>
            </tr>
          </thead>
          <tbody>
            {channels.map(([id, c]) => (
              <tr key={id}>
                <td data-label={h.channel}>
                  {id} ({c.type} {c.pin})
                </td>
                <td data-label={h.part}>{c.part}</td>
                <td data-label={h.rating}>{rating(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Item({ hw }: { hw: HardwareItem }) {
  const m = rt.value;
  const h = m.hardware;
  const latest = hw.versions.at(-1);
  return (
    <li class="card" data-hardware={hw.id}>
      <h2>{hw.title}</h2>
      <p class="meta">
        {h.kinds[hw.kind] ?? hw.kind} · {h.licence}
        {t.value.colon}
        <code>{hw.licence}</code> · {h.versions(hw.versions.length)} · {h.authors}
        {t.value.colon}
        {hw.authors.join(', ')}
        {!hw.local && (
          <>
            {' '}
            · {h.from}
            {t.value.colon}
            {hw.origin.name}
          </>
        )}
        {latest !== undefined && (
          <>
            {' '}
            · <When at={latest.createdAt} />
          </>
        )}
      </p>
      {hw.derivedFrom !== null && (
        <p class="small">{h.derivedFrom(hw.derivedFrom.title, hw.derivedFrom.number)}</p>
      )}
      {hw.kind === 'board-profile' && latest !== undefined && (
        <>
          <Ratings document={latest.document} />
          <p class="small">
            {h.use}
            {t.value.colon}
            <code>board: {`{ profile: custom, custom: { fromCommons: ${latest.id} } }`}</code>
          </p>
        </>
      )}
      {hw.kind === 'reference-board' && latest !== undefined && (
        <p>{(latest.document as { summary?: string }).summary}</p>
      )}
    </li>
  );
}

export function HardwarePage() {
  const h = rt.value.hardware;
  const state = useLoad(() => commons.hardware(), []);
  return (
    <section>
      <h1 tabIndex={-1}>{h.title}</h1>
      <p class="muted">{h.intro}</p>
      <Show state={state}>
        {({ hardware }) =>
          hardware.length === 0 ? (
            <p>{h.none}</p>
          ) : (
            <ul class="recipe-list" data-testid="hardware">
              {hardware.map((hw) => (
                <Item key={hw.id} hw={hw} />
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}
