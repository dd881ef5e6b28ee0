// Every alert with its deliveries and acknowledgement, a test alert to oneself, and one's own channels
// (secrets come back masked and stay as they are unless retyped).
import { useEffect, useState } from 'preact/hooks';
import { type AlertView, api, type Contact } from '../api.js';
import { formats } from '../format.js';
import { fermenter } from '../live.js';
import { t } from '../prefs.js';
import { canAcknowledge, noticeSessionEnd } from '../session.js';

const message = (err: unknown) => {
  noticeSessionEnd(err);
  return err instanceof Error ? err.message : String(err);
};

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
    </section>
  );
}

function MyChannels() {
  const m = t.value;
  const [contact, setContact] = useState<Contact | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    api.contact().then(setContact, (err: unknown) => setStatus(message(err)));
  }, []);
  if (contact === null) return null;
  const c = contact.channels;
  const field = (label: string, id: string, value: string, change: (v: string) => void) => (
    <p>
      <label for={id}>{label}</label>{' '}
      <input id={id} value={value} onInput={(e) => change((e.currentTarget as HTMLInputElement).value)} />
    </p>
  );
  const channel = <K extends keyof Contact['channels']>(k: K, v: Contact['channels'][K] | undefined) => {
    const channels = { ...c };
    if (v === undefined) delete channels[k];
    else channels[k] = v;
    setContact({ ...contact, channels });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        api.saveContact(contact).then(
          (saved) => {
            setContact(saved);
            setStatus(m.alerts.saved);
          },
          (err: unknown) => setStatus(message(err)),
        );
      }}
    >
      <h2>{m.alerts.mine}</h2>
      <p>
        <label for="alert-lang">{m.alerts.lang}</label>{' '}
        <select
          id="alert-lang"
          value={contact.lang}
          onChange={(e) =>
            setContact({ ...contact, lang: (e.currentTarget as HTMLSelectElement).value as 'fr' | 'en' })
          }
        >
          <option value="fr">Français</option>
          <option value="en">English</option>
        </select>
      </p>
      {field(m.alerts.ntfy, 'alert-ntfy', c.ntfy?.url ?? '', (v) =>
        channel('ntfy', v === '' ? undefined : { ...c.ntfy, url: v }),
      )}
      {field(m.alerts.webhook, 'alert-webhook', c.webhook?.url ?? '', (v) =>
        channel('webhook', v === '' ? undefined : { secret: c.webhook?.secret ?? '', url: v }),
      )}
      {c.webhook !== undefined &&
        field(m.alerts.secret, 'alert-secret', c.webhook.secret, (v) =>
          channel('webhook', { url: c.webhook?.url ?? '', secret: v }),
        )}
      {field(m.alerts.email, 'alert-email', c.email?.address ?? '', (v) =>
        channel('email', v === '' ? undefined : { address: v }),
      )}
      {field(m.alerts.telegram, 'alert-telegram', c.telegram?.chatId ?? '', (v) =>
        channel('telegram', v === '' ? undefined : { chatId: v }),
      )}
      <p>
        <button type="submit">{m.alerts.save}</button>{' '}
        {status !== null && <span role="status">{status}</span>}
      </p>
    </form>
  );
}
