// Incidents, newest first, of every fermenter or one; those heard live join the list as they happen.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Incident } from '../api.js';
import { formats } from '../format.js';
import { fermenter, fermenterIds, liveIncidents } from '../live.js';
import { t } from '../prefs.js';
import { href } from '../router.js';
import { noticeSessionEnd } from '../session.js';

export function Incidents() {
  const m = t.value;
  const fmt = formats.value;
  const [filter, setFilter] = useState('');
  const [loaded, setLoaded] = useState<Incident[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoaded(null);
    setError(null);
    api.incidents(filter === '' ? undefined : filter).then(
      ({ incidents }) => !cancelled && setLoaded(incidents),
      (err: unknown) => {
        noticeSessionEnd(err);
        if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [filter]);

  const live = liveIncidents.value;
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return [...live, ...(loaded ?? [])]
      .filter((i) => filter === '' || i.fermenterId === filter)
      .filter((i) => {
        const key = `${i.fermenterId}|${i.at}|${i.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => b.at - a.at);
  }, [live, loaded, filter]);

  return (
    <section>
      <h1 tabIndex={-1}>{m.incidents.title}</h1>
      <p>
        <label for="incident-filter">{m.incidents.fermenter} </label>
        <select
          id="incident-filter"
          value={filter}
          onChange={(e) => setFilter((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{m.incidents.all}</option>
          {fermenterIds.value.map((id) => (
            <option key={id} value={id}>
              {fermenter(id)?.value.name ?? id}
            </option>
          ))}
        </select>
      </p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {loaded === null && error === null && <p aria-busy="true">{m.loading}</p>}
      {loaded !== null && rows.length === 0 && <p>{m.incidents.none}</p>}
      {rows.length > 0 && (
        <table class="incidents" data-testid="incidents">
          <caption class="visually-hidden">{m.incidents.title}</caption>
          <thead>
            <tr>
              <th scope="col">{m.incidents.when}</th>
              <th scope="col">{m.incidents.fermenter}</th>
              <th scope="col">{m.incidents.severity}</th>
              <th scope="col">{m.incidents.code}</th>
              <th scope="col">{m.incidents.message}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={`${i.fermenterId}|${i.at}|${i.id}`} class={i.severity}>
                <td data-label={m.incidents.when}>{fmt.dateTime(i.at)}</td>
                <td data-label={m.incidents.fermenter}>
                  <a href={href.detail(i.fermenterId)}>
                    {fermenter(i.fermenterId)?.value.name ?? i.fermenterId}
                  </a>
                </td>
                <td data-label={m.incidents.severity}>{m.incidents.severities[i.severity] ?? i.severity}</td>
                <td data-label={m.incidents.code}>
                  <code>{i.code}</code>
                </td>
                <td data-label={m.incidents.message}>{i.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
