// Brew logs: the list, and one log with its fermentation chart (the dashboard's chart over the log's time
// range, from the history the API points at), its gravity curve and readings, and its notes.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { CHART_FIELDS, type Columns, emptyColumns, fromHistory } from '../../chart-data.js';
import { Chart } from '../../components/chart.js';
import { formats } from '../../format.js';
import { locale, t, unit } from '../../prefs.js';
import { noticeSessionEnd } from '../../session.js';
import { asBrewedUrl, type BrewLog, commons } from './api.js';
import { BatchCosts } from './costs.js';
import { GravityCurve } from './gravity-curve.js';
import { rt } from './i18n.js';
import { errorText, useLoad } from './load.js';
import { Show, When } from './parts.js';
import { commonsHref } from './routes.js';

/** About one point per pixel of a wide screen, as on a fermenter's page. */
const MAX_POINTS = 1500;

/** The range the API's historyUrl names (from, and to unless the brew goes on). */
function historyRange(url: string): { from?: number; to?: number } {
  const q = new URL(url, location.origin).searchParams;
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  return { from: num('from'), to: num('to') };
}

function Fermentation({ log }: { log: BrewLog }) {
  const m = rt.value;
  const d = t.value;
  const u = unit.value;
  const [cols, setCols] = useState<Columns>(emptyColumns);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (log.historyUrl === null || log.fermenterId === null) return;
    let cancelled = false;
    const { from, to } = historyRange(log.historyUrl);
    api.history(log.fermenterId, from, to, [...CHART_FIELDS], MAX_POINTS).then(
      (h) => {
        if (cancelled) return;
        setCols(fromHistory(h, u));
        setVersion((v) => v + 1);
      },
      (err: unknown) => {
        noticeSessionEnd(err);
        if (!cancelled) setError(errorText(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [log.id, log.historyUrl, u]);

  const names = useMemo(
    () => ({
      beer: d.beer,
      chamber: d.chamber,
      ambient: d.ambient,
      beerSetpoint: d.beerSetpoint,
      chamberSetpoint: d.chamberSetpoint,
      gravity: d.gravity,
    }),
    [d],
  );

  if (log.historyUrl === null)
    return <p class="muted">{log.local ? m.brewLog.noFermenter : m.brewLog.remote}</p>;
  return (
    <>
      {error !== null && (
        <p class="error" role="alert">
          {d.detail.historyFailed}: {error}
        </p>
      )}
      <Chart
        cols={cols}
        version={version}
        markers={[]}
        names={names}
        unitLabel={formats.value.unitLabel}
        locale={locale.value}
        label={`${m.brewLog.chart}: ${log.name}`}
      />
      {cols.t.length === 0 && error === null && <p class="muted">{d.detail.noHistory}</p>}
    </>
  );
}

function Readings({ log }: { log: BrewLog }) {
  const m = rt.value;
  const fmt = formats.value;
  if (log.readings.length === 0) return <p class="muted">{m.brewLog.noReadings}</p>;
  return (
    <>
      <GravityCurve readings={log.readings} label={`${m.brewLog.gravity}: ${log.name}`} />
      <table class="commons-table" data-testid="readings">
        <thead>
          <tr>
            <th scope="col">{m.brewLog.at}</th>
            <th scope="col">{m.brewLog.gravity}</th>
            <th scope="col">{m.brewLog.source}</th>
            <th scope="col">{m.brewLog.note}</th>
          </tr>
        </thead>
        <tbody>
          {log.readings.map((r) => (
            <tr key={r.id}>
              <td data-label={m.brewLog.at}>
                <When at={r.at} long />
              </td>
              <td data-label={m.brewLog.gravity}>{fmt.gravity(r.gravity)}</td>
              <td data-label={m.brewLog.source}>{m.brewLog.sources[r.source] ?? r.source}</td>
              <td data-label={m.brewLog.note}>{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function BrewLogPage({ id }: { id: string }) {
  const m = rt.value;
  const d = t.value;
  const state = useLoad(() => commons.brewLog(id), [id]);
  const log = state.status === 'ok' ? state.data : null;
  return (
    <section class="brewlog" data-brewlog={id}>
      <p class="crumb">
        <a href={commonsHref.brewLogs()}>← {m.brewLog.title}</a>
      </p>
      <h1 tabIndex={-1}>{log?.name ?? m.brewLog.title}</h1>
      <Show state={state}>
        {(b) => (
          <>
            <dl class="facts">
              <div>
                <dt>{m.brewLog.recipe}</dt>
                <dd>
                  <a href={commonsHref.version(b.recipeId, b.versionNumber)}>
                    {b.recipeTitle} v{b.versionNumber}
                  </a>
                </dd>
              </div>
              <div>
                <dt>{m.brewLog.brewer}</dt>
                <dd>{b.brewer}</dd>
              </div>
              <div>
                <dt>{m.brewLog.fermenter}</dt>
                <dd>{b.fermenterId ?? '—'}</dd>
              </div>
              <div>
                <dt>{m.brewLog.started}</dt>
                <dd>
                  <When at={b.startedAt} long />
                </dd>
              </div>
              <div>
                <dt>{m.brewLog.ended}</dt>
                <dd>{b.endedAt === null ? m.brewLog.ongoing : <When at={b.endedAt} long />}</dd>
              </div>
            </dl>
            <section class="panel" aria-labelledby="notes-title">
              <h2 id="notes-title">{m.brewLog.notes}</h2>
              {b.notes === '' ? (
                <p class="muted">{m.brewLog.noNotes}</p>
              ) : (
                <p class="note" data-testid="brewlog-notes">
                  {b.notes}
                </p>
              )}
            </section>
            <section class="panel" aria-labelledby="fermentation-title">
              <h2 id="fermentation-title">{m.brewLog.chart}</h2>
              <Fermentation log={b} />
            </section>
            <section class="panel" aria-labelledby="gravity-title">
              <h2 id="gravity-title">{d.gravity}</h2>
              <Readings log={b} />
            </section>
            {b.fermenterId !== null && b.local && <BatchCosts batchId={b.id} />}
            <p>
              <a href={asBrewedUrl(b.id)} download>
                {m.brewLog.export}
              </a>
            </p>
          </>
        )}
      </Show>
    </section>
  );
}

export function BrewLogs() {
  const m = rt.value;
  const state = useLoad(() => commons.brewLogs({}), []);
  return (
    <section>
      <h1 tabIndex={-1}>{m.brewLog.title}</h1>
      <p class="muted">{m.brewLog.intro}</p>
      <Show state={state}>
        {({ brewLogs }) =>
          brewLogs.length === 0 ? (
            <p>{m.brewLog.none}</p>
          ) : (
            <ul class="recipe-list" data-testid="brewlogs">
              {brewLogs.map((b) => (
                <li key={b.id} class="card">
                  <h2>
                    <a href={commonsHref.brewLog(b.id)}>{b.name}</a>
                  </h2>
                  <p class="meta">
                    <a href={commonsHref.version(b.recipeId, b.versionNumber)}>
                      {b.recipeTitle} v{b.versionNumber}
                    </a>{' '}
                    · {m.by} {b.brewer} · <When at={b.startedAt} />
                    {b.visibility === 'private' && <> · {m.visibility.private}</>}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}
