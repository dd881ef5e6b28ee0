// Every alert with its deliveries and acknowledgement, a test alert to oneself, one's own channels and
// quiet hours, the duty rota (edited by admins) and the space's default channels (admins only).
import { useEffect, useState } from 'preact/hooks';
import { type AlertView, api } from '../api.js';
import { formats } from '../format.js';
import { fermenter } from '../live.js';
import { t } from '../prefs.js';
import { canAcknowledge, isAdmin } from '../session.js';
import { MyChannels, errorText as message, SpaceChannels } from './alert-channels.js';
import { Rota } from './alert-rota.js';

export function Alerts() {
  const m = t.value;
  const fmt = formats.value;
  const [alerts, setAlerts] = useState<AlertView[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api.alerts().then(
      (r) => setAlerts(r.alerts),
      (err: unknown) => setError(message(err)),
    );
  useEffect(() => void load(), []);
  const act = (run: () => Promise<unknown>, done: string | null) =>
    run().then(
      () => {
        setError(null);
        setNote(done);
        return load();
      },
      (err: unknown) => setError(message(err)),
    );

  return (
    <section>
      <h1 tabIndex={-1}>{m.alerts.title}</h1>
      <p>
        <button type="button" onClick={() => act(api.testAlert, m.alerts.testSent)}>
          {m.alerts.test}
        </button>
      </p>
      {note !== null && <p role="status">{note}</p>}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {alerts === null && error === null && <p aria-busy="true">{m.loading}</p>}
      {alerts !== null && alerts.length === 0 && <p>{m.alerts.none}</p>}
      {alerts !== null && alerts.length > 0 && (
        <table class="incidents" data-testid="alerts">
          <thead>
            <tr>
              <th scope="col">{m.alerts.when}</th>
              <th scope="col">{m.alerts.what}</th>
              <th scope="col">{m.alerts.where}</th>
              <th scope="col">{m.alerts.status}</th>
              <th scope="col">{m.alerts.deliveries}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id}>
                <td>{fmt.dateTime(a.raisedAt)}</td>
                <td>
                  {a.kind} ({a.severity})
                  {/* Which channel failed and why, which backup error, which safety code. */}
                  {(a.facts.detail ?? a.facts.code) !== undefined && (
                    <div>{a.facts.detail ?? a.facts.code}</div>
                  )}
                </td>
                <td>
                  {a.fermenterId === null
                    ? m.alerts.space
                    : (fermenter(a.fermenterId)?.value.name ?? a.fermenterId)}
                </td>
                <td>
                  {a.status}
                  {a.ackedBy !== null ? (
                    <div>{m.alerts.acked(a.ackedBy)}</div>
                  ) : (
                    canAcknowledge.value &&
                    a.kind !== 'test' && (
                      <div>
                        <button type="button" onClick={() => act(() => api.acknowledge(a.id), null)}>
                          {m.alerts.ack}
                        </button>
                      </div>
                    )
                  )}
                </td>
                <td>
                  <ul>
                    {a.deliveries.map((d) => (
                      <li key={`${d.user}${d.channel}${d.purpose}`}>
                        {d.user} · {d.channel} · {d.purpose} · {d.status} ({d.attempts})
                        {d.lastError !== null && d.status !== 'sent' ? ` – ${d.lastError}` : ''}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MyChannels />
      <Rota />
      {isAdmin.value && <SpaceChannels />}
    </section>
  );
}
