// One fermenter: live values, the chart over a chosen range (up to the whole brew) with its marks, the
// same marks as a list, and the controls.
import { useSignalEffect } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type AuditEntry, api, type FermenterEvent, type FermenterState, type Incident } from '../api.js';
import { appendState, CHART_FIELDS, type Columns, emptyColumns, fromHistory } from '../chart-data.js';
import { Chart, MARKER_COLOURS, OUTPUT_COLOURS } from '../components/chart.js';
import { Controls } from '../components/controls.js';
import { ProfileProgress } from '../components/profile-progress.js';
import { Badges, Readings } from '../components/readings.js';
import { ThermalModel } from '../components/thermal-model.js';
import { formats } from '../format.js';
import { fermenter, liveIncidents, onAudit, onState } from '../live.js';
import { locale, t, unit } from '../prefs.js';
import { href } from '../router.js';
import { noticeSessionEnd } from '../session.js';
import { auditMark, describe, type Mark } from './describe.js';

const HOUR = 3_600_000;
const RANGES = { '1h': HOUR, '6h': 6 * HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, all: null } as const;
type RangeKey = keyof typeof RANGES;
/** About one point per pixel of a wide screen. */
const MAX_POINTS = 1500;

/** The bridge's clock minus the wall clock, from the latest state; 0 before the first. */
function clockOffset(id: string): number {
  const f = fermenter(id)?.value;
  return f?.state && f.receivedAt !== null ? f.state.at - f.receivedAt : 0;
}

function incidentMark(i: Incident): Mark {
  return { at: i.at, kind: 'incident', code: i.code, message: i.message };
}

export function Detail({ id }: { id: string }) {
  const m = t.value;
  const f = fermenter(id)?.value;
  const [range, setRange] = useState<RangeKey>('24h');
  const [cols, setCols] = useState<Columns>(emptyColumns);
  const [version, setVersion] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Mark[]>([]);
  const [live, setLive] = useState<Mark[]>([]);
  const previous = useRef<FermenterState | null>(null);
  const u = unit.value;
  const span = RANGES[range];

  // History and marks for the range, ending at the fermenter's newest reading (its clock may run faster).
  // The window is fixed when the range is chosen; later states extend it live.
  useEffect(() => {
    let cancelled = false;
    const newest = fermenter(id)?.value.state?.at;
    const to = newest === undefined ? undefined : newest + 1;
    const from = span === null ? 0 : to === undefined ? undefined : to - span;
    setLoadError(null);
    setLive([]);
    Promise.all([
      api.history(id, from, to, [...CHART_FIELDS], MAX_POINTS),
      api.events(id, from, to).catch(() => ({ events: [] as FermenterEvent[] })),
      api.audit(id, from, to).catch(() => ({ entries: [] as AuditEntry[] })),
    ]).then(
      ([history, { events }, audit]) => {
        if (cancelled) return;
        setCols(fromHistory(history, u));
        setVersion((v) => v + 1);
        const entries = (audit as { entries?: AuditEntry[] }).entries ?? [];
        setLoaded([...events, ...entries.map((a) => auditMark(a, clockOffset(id)))]);
      },
      (err: unknown) => {
        if (cancelled) return;
        noticeSessionEnd(err);
        setCols(emptyColumns());
        setLoadError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, range, u]);

  // Live points and live marks.
  useEffect(() => {
    previous.current = fermenter(id)?.value.state ?? null;
    const offState = onState((s) => {
      if (s.id !== id) return;
      const before = previous.current;
      previous.current = s;
      if (appendState(cols, s, u, span)) setVersion((v) => v + 1);
      if (before === null) return;
      // The same changes the history records (history/), seen as they happen.
      const marks: Mark[] = [];
      if (before.mode !== s.mode) marks.push({ at: s.at, kind: 'mode', from: before.mode, to: s.mode });
      else if (s.mode === 'beer' && before.beerSetpointC !== s.beerSetpointC) {
        marks.push({
          at: s.at,
          kind: 'setpoint',
          field: 'beerSetpointC',
          from: before.beerSetpointC,
          to: s.beerSetpointC,
        });
      } else if (s.mode === 'chamber' && before.chamberSetpointC !== s.chamberSetpointC) {
        marks.push({
          at: s.at,
          kind: 'setpoint',
          field: 'chamberSetpointC',
          from: before.chamberSetpointC,
          to: s.chamberSetpointC,
        });
      }
      if (marks.length > 0) setLive((l) => [...marks, ...l]);
    });
    const offAudit = onAudit((a) => {
      if (a.fermenterId === id) setLive((l) => [auditMark(a, clockOffset(id)), ...l]);
    });
    return () => {
      offState();
      offAudit();
    };
  }, [id, cols, u, span]);

  // Incidents heard live for this fermenter.
  const [incidentMarks, setIncidentMarks] = useState<Mark[]>([]);
  useSignalEffect(() => {
    setIncidentMarks(liveIncidents.value.filter((i) => i.fermenterId === id).map(incidentMark));
  });

  // Newest first; an event both loaded and heard live is shown once. Words follow the reader's language.
  const fmt = formats.value;
  const markers = useMemo(() => {
    const seen = new Set<string>();
    return [...live, ...incidentMarks, ...loaded]
      .map(describe)
      .sort((a, b) => b.at - a.at)
      .filter((mk) => {
        const key = `${mk.at}|${mk.kind}|${mk.text}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }, [live, incidentMarks, loaded, m, fmt]);

  const names = useMemo(
    () => ({
      beer: m.beer,
      chamber: m.chamber,
      ambient: m.ambient,
      beerSetpoint: m.beerSetpoint,
      chamberSetpoint: m.chamberSetpoint,
      gravity: m.gravity,
    }),
    [m],
  );

  if (f === undefined) {
    return (
      <section>
        <h1 tabIndex={-1}>{id}</h1>
        <p>{m.loading}</p>
        <p>
          <a href={href.overview()}>{m.detail.back}</a>
        </p>
      </section>
    );
  }

  return (
    <section class="detail" data-fermenter={id}>
      <p class="crumb">
        <a href={href.overview()}>← {m.detail.back}</a>
      </p>
      <h1 tabIndex={-1}>{f.name}</h1>
      <Badges f={f} />
      <Readings f={f} />
      {f.state?.profile && <ProfileProgress p={f.state.profile} />}
      <section aria-labelledby="chart-title" class="panel">
        <h2 id="chart-title">{m.detail.chart}</h2>
        <fieldset class="ranges">
          <legend>{m.detail.range}</legend>
          {(Object.keys(RANGES) as RangeKey[]).map((k) => (
            <label key={k} class={range === k ? 'chosen' : undefined}>
              <input type="radio" name="range" value={k} checked={range === k} onChange={() => setRange(k)} />
              {m.detail.ranges[k]}
            </label>
          ))}
        </fieldset>
        {loadError !== null && (
          <p class="error" role="alert">
            {m.detail.historyFailed}: {loadError}
          </p>
        )}
        <Chart
          cols={cols}
          version={version}
          markers={markers}
          names={names}
          unitLabel={fmt.unitLabel}
          locale={locale.value}
          label={`${m.detail.chart}: ${f.name}`}
        />
        {cols.t.length === 0 && loadError === null && <p class="muted">{m.detail.noHistory}</p>}
        <p class="muted" data-testid="output-bands">
          {m.detail.bands}
          {m.colon}
          {(['cool', 'heat'] as const).map((o) => (
            <span key={o}>
              {' '}
              <span class="swatch" style={{ background: OUTPUT_COLOURS[o] }} aria-hidden="true" />
              {o === 'cool' ? m.cooling : m.heating}
            </span>
          ))}
        </p>
        <h3>{m.detail.events}</h3>
        {markers.length === 0 ? (
          <p class="muted">{m.detail.noEvents}</p>
        ) : (
          <ol class="events" data-testid="events">
            {markers.slice(0, 50).map((mk) => (
              <li key={`${mk.at}|${mk.kind}|${mk.text}`} data-kind={mk.kind}>
                <span
                  class="swatch"
                  style={{ background: MARKER_COLOURS[mk.kind] ?? '#444' }}
                  aria-hidden="true"
                />
                <time dateTime={new Date(mk.at).toISOString()}>{fmt.shortDateTime(mk.at)}</time>{' '}
                <strong>{m.detail.markerKinds[mk.kind] ?? mk.kind}</strong> {mk.text}
              </li>
            ))}
          </ol>
        )}
      </section>
      <ThermalModel f={f} />
      <Controls f={f} />
    </section>
  );
}
