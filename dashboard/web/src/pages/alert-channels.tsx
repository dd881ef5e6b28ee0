// Where alerts go: one's own channels and quiet hours, and (admins) the space's default channels. Secrets
// come back masked and stay as they are unless retyped.
import { useEffect, useState } from 'preact/hooks';
import { api, type Contact, type SpaceDefaults } from '../api.js';
import { t } from '../prefs.js';
import { noticeSessionEnd } from '../session.js';

type Channels = Contact['channels'];

export const errorText = (err: unknown) => {
  noticeSessionEnd(err);
  return err instanceof Error ? err.message : String(err);
};

function Field(p: { label: string; id: string; value: string; time?: boolean; change: (v: string) => void }) {
  const input = (e: Event) => p.change((e.currentTarget as HTMLInputElement).value);
  return (
    <p>
      <label for={p.id}>{p.label}</label>{' '}
      {p.time === true ? (
        <input id={p.id} type="time" value={p.value} onInput={input} />
      ) : (
        <input id={p.id} value={p.value} onInput={input} />
      )}
    </p>
  );
}

/** The four channels' addresses; an emptied address removes its channel. */
function ChannelFields(p: { prefix: string; channels: Channels; change: (c: Channels) => void }) {
  const m = t.value;
  const c = p.channels;
  const set = <K extends keyof Channels>(k: K, v: Channels[K] | undefined) => {
    const next = { ...c };
    if (v === undefined) delete next[k];
    else next[k] = v;
    p.change(next);
  };
  return (
    <>
      <Field
        label={m.alerts.ntfy}
        id={`${p.prefix}-ntfy`}
        value={c.ntfy?.url ?? ''}
        change={(v) => set('ntfy', v === '' ? undefined : { ...c.ntfy, url: v })}
      />
      <Field
        label={m.alerts.webhook}
        id={`${p.prefix}-webhook`}
        value={c.webhook?.url ?? ''}
        change={(v) => set('webhook', v === '' ? undefined : { secret: c.webhook?.secret ?? '', url: v })}
      />
      {c.webhook !== undefined && (
        <Field
          label={m.alerts.secret}
          id={`${p.prefix}-secret`}
          value={c.webhook.secret}
          change={(v) => set('webhook', { url: c.webhook?.url ?? '', secret: v })}
        />
      )}
      <Field
        label={m.alerts.email}
        id={`${p.prefix}-email`}
        value={c.email?.address ?? ''}
        change={(v) => set('email', v === '' ? undefined : { address: v })}
      />
      <Field
        label={m.alerts.telegram}
        id={`${p.prefix}-telegram`}
        value={c.telegram?.chatId ?? ''}
        change={(v) => set('telegram', v === '' ? undefined : { chatId: v })}
      />
    </>
  );
}

function LangField(p: { id: string; value: 'fr' | 'en'; change: (v: 'fr' | 'en') => void }) {
  return (
    <p>
      <label for={p.id}>{t.value.alerts.lang}</label>{' '}
      <select
        id={p.id}
        value={p.value}
        onChange={(e) => p.change((e.currentTarget as HTMLSelectElement).value as 'fr' | 'en')}
      >
        <option value="fr">Français</option>
        <option value="en">English</option>
      </select>
    </p>
  );
}

/** Why quiet hours cannot be saved, or null: both ends set, and different (equal would be all day). */
function quietProblem(q: Contact['quietHours']): 'missing' | 'equal' | null {
  if (q === null) return null;
  if (q.from === '' || q.to === '') return 'missing';
  return q.from === q.to ? 'equal' : null;
}

export function MyChannels() {
  const m = t.value;
  const [contact, setContact] = useState<Contact | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.contact().then(setContact, (err: unknown) => setStatus(errorText(err)));
  }, []);
  if (contact === null) return status === null ? null : <p role="status">{status}</p>;
  const quiet = contact.quietHours;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const why = quietProblem(quiet);
        setProblem(why === null ? null : m.alerts.quietProblem[why]);
        if (why !== null) return;
        api.saveContact(contact).then(
          (saved) => {
            setContact(saved);
            setStatus(m.alerts.saved);
          },
          (err: unknown) => setStatus(errorText(err)),
        );
      }}
    >
      <h2>{m.alerts.mine}</h2>
      <LangField id="alert-lang" value={contact.lang} change={(lang) => setContact({ ...contact, lang })} />
      <ChannelFields
        prefix="alert"
        channels={contact.channels}
        change={(channels) => setContact({ ...contact, channels })}
      />
      <fieldset>
        <legend>{m.alerts.quiet}</legend>
        <p>
          <input
            id="alert-quiet"
            type="checkbox"
            checked={quiet !== null}
            onChange={(e) =>
              setContact({
                ...contact,
                quietHours: (e.currentTarget as HTMLInputElement).checked
                  ? { from: '22:00', to: '07:00' }
                  : null,
              })
            }
          />{' '}
          <label for="alert-quiet">{m.alerts.quietOwn}</label>
        </p>
        {quiet !== null && (
          <>
            <Field
              label={m.alerts.quietFrom}
              id="alert-quiet-from"
              time
              value={quiet.from}
              change={(from) => setContact({ ...contact, quietHours: { ...quiet, from } })}
            />
            <Field
              label={m.alerts.quietTo}
              id="alert-quiet-to"
              time
              value={quiet.to}
              change={(to) => setContact({ ...contact, quietHours: { ...quiet, to } })}
            />
          </>
        )}
        <p class="hint">{m.alerts.quietHint}</p>
      </fieldset>
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <button type="submit">{m.alerts.save}</button>{' '}
        {status !== null && <span role="status">{status}</span>}
      </p>
    </form>
  );
}

/** The space's default channels: for people with none of their own, and every alert to the admins. */
export function SpaceChannels() {
  const m = t.value;
  const [defaults, setDefaults] = useState<SpaceDefaults | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    api.spaceDefaults().then(setDefaults, (err: unknown) => setStatus(errorText(err)));
  }, []);
  if (defaults === null) return status === null ? null : <p role="status">{status}</p>;
  const done = (what: string) => (saved?: SpaceDefaults) => {
    if (saved !== undefined) setDefaults(saved);
    setStatus(what);
  };
  return (
    <form
      data-testid="space-channels"
      onSubmit={(e) => {
        e.preventDefault();
        api
          .saveSpaceDefaults(defaults)
          .then(done(m.alerts.saved), (err: unknown) => setStatus(errorText(err)));
      }}
    >
      <h2>{m.alerts.spaceChannels}</h2>
      <p class="hint">{m.alerts.spaceHint}</p>
      <LangField
        id="space-lang"
        value={defaults.lang}
        change={(lang) => setDefaults({ ...defaults, lang })}
      />
      <ChannelFields
        prefix="space"
        channels={defaults.channels}
        change={(channels) => setDefaults({ ...defaults, channels })}
      />
      <p>
        <button type="submit">{m.alerts.save}</button>{' '}
        <button
          type="button"
          onClick={() =>
            api.testSpaceDefaults().then(
              () => done(m.alerts.testSent)(),
              (err: unknown) => setStatus(errorText(err)),
            )
          }
        >
          {m.alerts.testSpace}
        </button>{' '}
        {status !== null && <span role="status">{status}</span>}
      </p>
    </form>
  );
}
