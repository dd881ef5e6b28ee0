// Ledger events as a table (a block per event on a phone): when, who, which contribution, on which recipe,
// and the points the rule gave. Shared by the ledger and each contributor's page. An event about a private
// recipe the viewer may not see is a placeholder row; one its author recorded for themselves waits for
// another brewer's confirmation, with a button for those who may give it.
import { useState } from 'preact/hooks';
import { canControl, session } from '../../session.js';
import { commons, type LedgerEvent, type LedgerRow } from './api.js';
import { rt } from './i18n.js';
import { errorText } from './load.js';
import { When } from './parts.js';
import { commonsHref } from './routes.js';

interface LedgerTableProps {
  events: LedgerRow[];
  /** Recipe titles by id, for the recipe column. */
  titles: ReadonlyMap<string, string>;
  /** Shows the contributor column (not on a contributor's own page). */
  who?: boolean;
}

/** "Awaiting confirmation", and a Confirm button for a brewer or admin who is not the contributor. */
function Pending({ event }: { event: LedgerEvent }) {
  const l = rt.value.ledger;
  const [state, setState] = useState<{ done: boolean; error: string | null }>({ done: false, error: null });
  if (state.done) return <span class="small">{l.confirmed}</span>;
  const s = session.value;
  const mayConfirm = canControl.value && s.status === 'in' && s.user.name !== event.contributor;
  const confirm = async () => {
    try {
      await commons.confirm(event.id);
      setState({ done: true, error: null });
    } catch (err) {
      setState({ done: false, error: errorText(err) });
    }
  };
  return (
    <span class="small" data-testid="pending">
      {l.pending}{' '}
      {mayConfirm && (
        <button type="button" class="secondary" onClick={confirm}>
          {l.confirm}
        </button>
      )}
      {state.error !== null && (
        <span class="error" role="alert">
          {state.error}
        </span>
      )}
    </span>
  );
}

export function LedgerTable({ events, titles, who = true }: LedgerTableProps) {
  const m = rt.value;
  const l = m.ledger;
  const columns = who ? 6 : 5;
  return (
    <table class="commons-table" data-testid="ledger-events">
      <caption>{m.ledger.events}</caption>
      <thead>
        <tr>
          <th scope="col">{l.when}</th>
          {who && <th scope="col">{l.contributor}</th>}
          <th scope="col">{l.kind}</th>
          <th scope="col">{l.recipe}</th>
          <th scope="col">{l.rule}</th>
          <th scope="col">{l.points}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) =>
          'private' in e ? (
            <tr key={`private-${e.seq}`} data-seq={e.seq} class="muted">
              <td colSpan={columns}>
                {m.kinds[e.kind] ?? e.kind}: {l.privateVersion}
              </td>
            </tr>
          ) : (
            <tr key={e.id} data-seq={e.seq}>
              <td data-label={l.when}>
                <When at={e.at} long />
              </td>
              {who && (
                <td data-label={l.contributor}>
                  <a href={commonsHref.contributor(e.contributor)}>{e.contributor}</a>
                </td>
              )}
              <td data-label={l.kind}>
                {m.kinds[e.kind] ?? e.kind}
                {e.reference !== '' && <span class="muted"> ({e.reference})</span>}
                {e.note !== '' && <span class="note small">{e.note}</span>}
              </td>
              <td data-label={l.recipe}>
                {e.recipeId === null ? (
                  '—'
                ) : (
                  <a href={commonsHref.recipe(e.recipeId)}>{titles.get(e.recipeId) ?? e.recipeId}</a>
                )}
              </td>
              <td data-label={l.rule}>
                <code>{e.rule.setting}</code>
              </td>
              <td data-label={l.points}>
                {e.weight}
                {e.pending && <Pending event={e} />}
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
