// The duty rota: weekly slots of who watches when. Everyone sees it; admins add, change and remove slots,
// each checked here (a person, a day at least, both times) before the server checks it again.
import { useEffect, useState } from 'preact/hooks';
import { api, type RotaSlot } from '../api.js';
import { t } from '../prefs.js';
import { isAdmin } from '../session.js';
import { errorText } from './alert-channels.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];

interface SlotDraft {
  key: number;
  user: string;
  days: Day[];
  from: string;
  to: string;
}

let nextKey = 1;
// A time field cannot show 24:00; midnight as the end is the same slot.
const draftOf = (s: RotaSlot): SlotDraft => ({ key: nextKey++, ...s, to: s.to === '24:00' ? '00:00' : s.to });

/** The first slot that cannot be saved, by its number from 1, and why; null when all can. */
function rotaProblem(slots: readonly SlotDraft[]): { n: number; why: 'user' | 'days' | 'times' } | null {
  for (const [i, s] of slots.entries()) {
    if (s.user === '') return { n: i + 1, why: 'user' };
    if (s.days.length === 0) return { n: i + 1, why: 'days' };
    if (s.from === '' || s.to === '') return { n: i + 1, why: 'times' };
  }
  return null;
}

export function Rota() {
  const m = t.value;
  const admin = isAdmin.value;
  const [slots, setSlots] = useState<SlotDraft[] | null>(null);
  const [people, setPeople] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.rota().then(
      (r) => {
        setSlots(r.rota.map(draftOf));
        setPeople(r.people);
      },
      (err: unknown) => setStatus(errorText(err)),
    );
  }, []);
  if (slots === null) return status === null ? null : <p role="status">{status}</p>;
  const change = (key: number, patch: Partial<SlotDraft>) =>
    setSlots(slots.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  if (!admin)
    return (
      <section data-testid="rota">
        <h2>{m.alerts.rota}</h2>
        {slots.length === 0 ? (
          <p>{m.alerts.rotaEmpty}</p>
        ) : (
          <ul>
            {slots.map((s) => (
              <li key={s.key}>
                {s.user} · {s.days.map((d) => m.alerts.days[d]).join(', ')} · {s.from}–{s.to}
              </li>
            ))}
          </ul>
        )}
      </section>
    );

  return (
    <form
      data-testid="rota"
      onSubmit={(e) => {
        e.preventDefault();
        const bad = rotaProblem(slots);
        setProblem(bad === null ? null : m.alerts.rotaProblem(bad.n, bad.why));
        setStatus(null);
        if (bad !== null) return;
        api
          .saveRota(slots.map(({ key: _, ...s }) => ({ ...s, days: DAYS.filter((d) => s.days.includes(d)) })))
          .then(
            (saved) => {
              setSlots(saved.rota.map(draftOf));
              setStatus(m.alerts.saved);
            },
            (err: unknown) => setProblem(errorText(err)),
          );
      }}
    >
      <h2>{m.alerts.rota}</h2>
      <p class="hint">{m.alerts.rotaHint}</p>
      {slots.length === 0 && <p>{m.alerts.rotaEmpty}</p>}
      <ol class="steps">
        {slots.map((s, i) => (
          <li key={s.key}>
            <fieldset>
              <legend>{m.alerts.slot(i + 1)}</legend>
              <p>
                <label for={`rota-user-${i}`}>{m.alerts.who}</label>{' '}
                <select
                  id={`rota-user-${i}`}
                  value={s.user}
                  onChange={(e) => change(s.key, { user: (e.currentTarget as HTMLSelectElement).value })}
                >
                  <option value="">—</option>
                  {[...new Set([...people, ...(s.user === '' ? [] : [s.user])])].map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </p>
              <fieldset class="days">
                <legend>{m.alerts.daysLabel}</legend>
                {DAYS.map((d) => (
                  <label key={d}>
                    <input
                      type="checkbox"
                      name={`rota-day-${i}`}
                      value={d}
                      checked={s.days.includes(d)}
                      onChange={(e) =>
                        change(s.key, {
                          days: (e.currentTarget as HTMLInputElement).checked
                            ? [...s.days, d]
                            : s.days.filter((x) => x !== d),
                        })
                      }
                    />{' '}
                    {m.alerts.days[d]}
                  </label>
                ))}
              </fieldset>
              <p>
                <label for={`rota-from-${i}`}>{m.alerts.from}</label>{' '}
                <input
                  id={`rota-from-${i}`}
                  type="time"
                  value={s.from}
                  onInput={(e) => change(s.key, { from: (e.currentTarget as HTMLInputElement).value })}
                />
              </p>
              <p>
                <label for={`rota-to-${i}`}>{m.alerts.to}</label>{' '}
                <input
                  id={`rota-to-${i}`}
                  type="time"
                  value={s.to}
                  onInput={(e) => change(s.key, { to: (e.currentTarget as HTMLInputElement).value })}
                />
              </p>
              <p class="row">
                <button type="button" onClick={() => setSlots(slots.filter((x) => x.key !== s.key))}>
                  {m.alerts.removeSlot}
                </button>
              </p>
            </fieldset>
          </li>
        ))}
      </ol>
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <button
          type="button"
          onClick={() =>
            setSlots([...slots, { key: nextKey++, user: '', days: [], from: '20:00', to: '08:00' }])
          }
        >
          {m.alerts.addSlot}
        </button>{' '}
        <button type="submit">{m.alerts.saveRota}</button>{' '}
        {status !== null && <span role="status">{status}</span>}
      </p>
    </form>
  );
}
