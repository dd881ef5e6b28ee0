// Hydrometer calibration: each iSpindel's points (angle → gravity by hydrometer), the polynomial fitted
// through them with each point's residual, and each Tilt's gravity offset. Brewers and admins edit, fit
// and save; everyone else reads. The server fits and checks everything; the page only shows its answers.
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  type CalibrationFit,
  type Calibration as CalibrationInput,
  type Hydrometers,
  type IspindelCalibrationView,
  type TiltCalibrationView,
} from '../api.js';
import { formats } from '../format.js';
import { t } from '../prefs.js';
import { canControl, noticeSessionEnd } from '../session.js';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** "1.2 + 0.004·a − 0.00001·a²", as many significant digits as a gravity needs. */
function polynomialText(coefficients: readonly number[]): string {
  return coefficients
    .map((c, i) => {
      const v = Number(c.toPrecision(6));
      const term = i === 0 ? `${Math.abs(v)}` : `${Math.abs(v)}·a${i === 1 ? '' : i === 2 ? '²' : '³'}`;
      return { sign: v < 0 ? '−' : '+', term };
    })
    .map((p, i) => (i === 0 ? `${p.sign === '−' ? '−' : ''}${p.term}` : ` ${p.sign} ${p.term}`))
    .join('');
}

function When({ view }: { view: { source: string; setBy?: string; setAt?: number } }) {
  const m = t.value.calibration;
  const fmt = formats.value;
  return (
    <p class="muted" data-testid="source">
      {view.source === 'dashboard' && view.setBy !== undefined && view.setAt !== undefined
        ? m.fromDashboard(view.setBy, fmt.dateTime(view.setAt))
        : m.fromConfig}
    </p>
  );
}

function IspindelCard({ view, onSaved }: { view: IspindelCalibrationView; onSaved: () => void }) {
  const m = t.value.calibration;
  const edit = canControl.value;
  const [points, setPoints] = useState(view.calibration?.points ?? [{ angle: 25, gravity: 1.0 }]);
  const [degree, setDegree] = useState(view.calibration?.degree ?? 2);
  const [fit, setFit] = useState<CalibrationFit | null>(view.fit ?? null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input: CalibrationInput = { points, degree };

  const run = async (action: () => Promise<void>) => {
    setError(null);
    setStatus(null);
    try {
      await action();
    } catch (err) {
      noticeSessionEnd(err);
      setError(message(err));
    }
  };
  const change = (i: number, field: 'angle' | 'gravity', value: string) => {
    setPoints(points.map((p, j) => (j === i ? { ...p, [field]: Number(value) } : p)));
    setFit(null);
  };

  return (
    <section class="card" data-testid={`ispindel-${view.name}`} aria-labelledby={`ispindel-${view.name}-h`}>
      <h2 id={`ispindel-${view.name}-h`}>
        iSpindel {view.name}{' '}
        <span class="muted">
          · {m.fermenter} {view.fermenter}
        </span>
      </h2>
      <When view={view} />
      {view.calibration === undefined && !edit && <p>{m.uncalibrated}</p>}
      <table class="calibration">
        <thead>
          <tr>
            <th scope="col">{m.angle}</th>
            <th scope="col">{m.gravity}</th>
            <th scope="col">{m.residual}</th>
            {edit && (
              <th scope="col" class="visually-hidden">
                {m.remove}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {points.map((p, i) => (
            <tr key={i}>
              <td>
                <input
                  type="number"
                  step="0.01"
                  min="0"
                  max="90"
                  aria-label={`${m.angle} ${i + 1}`}
                  value={p.angle}
                  disabled={!edit}
                  onInput={(e) => change(i, 'angle', (e.currentTarget as HTMLInputElement).value)}
                />
              </td>
              <td>
                <input
                  type="number"
                  step="0.001"
                  min="0.98"
                  max="1.2"
                  aria-label={`${m.gravity} ${i + 1}`}
                  value={p.gravity}
                  disabled={!edit}
                  onInput={(e) => change(i, 'gravity', (e.currentTarget as HTMLInputElement).value)}
                />
              </td>
              <td data-testid="residual">
                {fit?.residuals[i] === undefined ? '' : fit.residuals[i].toFixed(4)}
              </td>
              {edit && (
                <td>
                  <button
                    type="button"
                    disabled={points.length <= 2}
                    onClick={() => {
                      setPoints(points.filter((_, j) => j !== i));
                      setFit(null);
                    }}
                  >
                    {m.remove}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {fit !== null && (
        <p data-testid="polynomial">
          {m.polynomial} <code>{polynomialText(fit.polynomial)}</code>
        </p>
      )}
      {edit && (
        <p class="actions">
          <button
            type="button"
            onClick={() => {
              setPoints([...points, { angle: 0, gravity: 1.0 }]);
              setFit(null);
            }}
          >
            {m.addPoint}
          </button>{' '}
          <label>
            {m.degree}{' '}
            <select
              value={degree}
              onChange={(e) => {
                setDegree(Number((e.currentTarget as HTMLSelectElement).value));
                setFit(null);
              }}
            >
              {[1, 2, 3].map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>{' '}
          <button
            type="button"
            onClick={() => run(async () => setFit(await api.fitCalibration(view.name, input)))}
          >
            {m.fit}
          </button>{' '}
          <button
            type="button"
            class="primary"
            onClick={() =>
              run(async () => {
                const saved = await api.saveCalibration(view.name, input);
                setFit(saved.fit ?? null);
                setStatus(m.saved);
                onSaved();
              })
            }
          >
            {m.save}
          </button>{' '}
          {view.source === 'dashboard' && (
            <button
              type="button"
              onClick={() =>
                run(async () => {
                  await api.removeCalibration(view.name);
                  onSaved();
                })
              }
            >
              {m.backToConfig}
            </button>
          )}
        </p>
      )}
      {status !== null && <p role="status">{status}</p>}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function TiltRow({ view, onSaved }: { view: TiltCalibrationView; onSaved: () => void }) {
  const m = t.value.calibration;
  const edit = canControl.value;
  const [offset, setOffset] = useState(String(view.gravityOffset));
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onSaved();
    } catch (err) {
      noticeSessionEnd(err);
      setError(message(err));
    }
  };
  return (
    <tr data-testid={`tilt-${view.colour}`}>
      <th scope="row">{view.colour}</th>
      <td>{view.fermenter}</td>
      <td>
        <input
          type="number"
          step="0.001"
          min="-0.05"
          max="0.05"
          aria-label={`${m.offset} ${view.colour}`}
          value={offset}
          disabled={!edit}
          onInput={(e) => setOffset((e.currentTarget as HTMLInputElement).value)}
        />
        {error !== null && (
          <span class="error" role="alert">
            {' '}
            {error}
          </span>
        )}
      </td>
      <td>
        <When view={view} />
      </td>
      {edit && (
        <td>
          <button type="button" onClick={() => run(() => api.saveTiltOffset(view.colour, Number(offset)))}>
            {m.save}
          </button>{' '}
          {view.source === 'dashboard' && (
            <button type="button" onClick={() => run(() => api.removeTiltOffset(view.colour))}>
              {m.backToConfig}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

export function Calibration() {
  const m = t.value.calibration;
  const [data, setData] = useState<Hydrometers | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.hydrometers().then(
      (h) => !cancelled && setData(h),
      (err: unknown) => {
        noticeSessionEnd(err);
        if (!cancelled) setError(message(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [version]);
  const reload = () => setVersion((v) => v + 1);

  return (
    <section>
      <h1 tabIndex={-1}>{m.title}</h1>
      <p>{m.intro}</p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {data === null && error === null && <p aria-busy="true">{t.value.loading}</p>}
      {data !== null && data.ispindels.length === 0 && data.tilts.length === 0 && <p>{m.none}</p>}
      {data?.ispindels.map((v) => (
        <IspindelCard key={`${v.name}|${v.source}|${v.setAt ?? 0}`} view={v} onSaved={reload} />
      ))}
      {data !== null && data.tilts.length > 0 && (
        <section class="card">
          <h2>{m.tilts}</h2>
          <table class="calibration">
            <thead>
              <tr>
                <th scope="col">{m.colour}</th>
                <th scope="col">{m.fermenter}</th>
                <th scope="col">{m.offset}</th>
                <th scope="col" class="visually-hidden">
                  {m.fromConfig}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.tilts.map((v) => (
                <TiltRow key={`${v.colour}|${v.source}|${v.setAt ?? 0}`} view={v} onSaved={reload} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
