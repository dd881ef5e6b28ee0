// Ledger events as a table (a block per event on a phone): when, who, which contribution, on which recipe,
// and the points the rule gave. Shared by the ledger and each contributor's page.
import type { LedgerEvent } from './api.js';
import { rt } from './i18n.js';
import { When } from './parts.js';
import { commonsHref } from './routes.js';

interface LedgerTableProps {
  events: LedgerEvent[];
  /** Recipe titles by id, for the recipe column. */
  titles: ReadonlyMap<string, string>;
  /** Shows the contributor column (not on a contributor's own page). */
  who?: boolean;
}

export function LedgerTable({ events, titles, who = true }: LedgerTableProps) {
  const m = rt.value;
  const l = m.ledger;
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
        {events.map((e) => (
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
            <td data-label={l.points}>{e.weight}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
