// Forking a version: a title, a licence among those the parent's licence allows (the others listed with the
// reason), and a note. The server decides; a refusal is shown with its message.
import { useState } from 'preact/hooks';
import { commons, type LicenceInfo } from './api.js';
import { rt } from './i18n.js';
import { errorText } from './load.js';
import { commonsHref } from './routes.js';

interface ForkProps {
  recipeId: string;
  number: number;
  title: string;
  /** The parent's licence. */
  licence: string;
  licences: LicenceInfo[];
}

export function ForkForm({ recipeId, number, title, licence, licences }: ForkProps) {
  const m = rt.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rule = licences.find((l) => l.id === licence);
  const allowed = licences.filter((l) => rule?.forkLicences.includes(l.id));
  const others = licences.filter((l) => !rule?.forkLicences.includes(l.id));

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const newTitle = String(form.get('title') ?? '').trim();
    const note = String(form.get('note') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const fork = await commons.fork(recipeId, number, {
        licence: String(form.get('licence') ?? licence),
        ...(newTitle === '' ? {} : { title: newTitle }),
        ...(note === '' ? {} : { note }),
      });
      location.hash = commonsHref.recipe(fork.id);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form class="fork" onSubmit={submit} data-testid="fork-form">
      <p class="muted">{m.fork.intro}</p>
      <label class="field">
        <span>{m.fork.newTitle}</span>
        <input name="title" maxLength={200} placeholder={title} />
      </label>
      <label class="field">
        <span>{m.fork.licence}</span>
        <select name="licence" defaultValue={allowed.some((l) => l.id === licence) ? licence : undefined}>
          {allowed.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id} — {l.name}
            </option>
          ))}
        </select>
      </label>
      {others.length > 0 && rule !== undefined && (
        <p class="small" data-testid="refused-licences">
          {m.fork.others(licence)}: {others.map((l) => l.id).join(', ')}. {rule.forkReason}
        </p>
      )}
      <label class="field">
        <span>{m.fork.note}</span>
        <textarea name="note" rows={3} maxLength={20_000} />
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {m.fork.refused}: {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? m.fork.busy : m.fork.submit}
      </button>
    </form>
  );
}
