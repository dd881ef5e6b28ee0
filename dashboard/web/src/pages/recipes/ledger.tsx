// The ledger: the rule table the community agreed on, every event in the order recorded (a page at a time),
// and the whole ledger to download.
import { useState } from 'preact/hooks';
import { t } from '../../prefs.js';
import { commons, ledgerExportUrl, type Weights } from './api.js';
import { rt } from './i18n.js';
import { LedgerTable } from './ledger-table.js';
import { useLoad } from './load.js';
import { Pager, Show } from './parts.js';
import { commonsHref } from './routes.js';

const PAGE = 100;

export function RuleTable({ weights }: { weights: Weights }) {
  const m = rt.value;
  return (
    <table class="commons-table rules" data-testid="rules">
      <caption>{m.ledger.rules}</caption>
      <thead>
        <tr>
          <th scope="col">{m.ledger.kind}</th>
          <th scope="col">{m.ledger.rule}</th>
          <th scope="col">{m.ledger.points}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(weights).map(([kind, points]) => (
          <tr key={kind}>
            <td data-label={m.ledger.kind}>{m.kinds[kind] ?? kind}</td>
            <td data-label={m.ledger.rule}>
              <code>commons.weights.{kind}</code>
            </td>
            <td data-label={m.ledger.points}>{points}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Recipe titles by id for ledger rows (a space's recipes fit in one answer of the API's largest page). */
export function useRecipeTitles(): ReadonlyMap<string, string> {
  const state = useLoad(() => commons.recipes({ limit: 200 }), []);
  return state.status === 'ok' ? new Map(state.data.recipes.map((r) => [r.id, r.title])) : new Map();
}

export function Ledger() {
  const m = rt.value;
  const [offset, setOffset] = useState(0);
  const state = useLoad(() => commons.ledger({ limit: PAGE, offset }), [offset]);
  const titles = useRecipeTitles();
  return (
    <section>
      <h1 tabIndex={-1}>{m.ledger.title}</h1>
      <p class="muted">{m.ledger.intro}</p>
      <p class="row">
        {m.ledger.export}: <a href={ledgerExportUrl('csv')}>CSV</a> <a href={ledgerExportUrl('json')}>JSON</a>{' '}
        · <a href={commonsHref.potSplit()}>{m.sections.potSplit}</a>
      </p>
      <Show state={state}>
        {({ events, total, weights, potSplit }) => (
          <>
            <RuleTable weights={weights} />
            <p data-testid="split-rule">
              <strong>{m.ledger.splitRules}</strong>
              {t.value.colon}
              {m.ledger.deductBatchCosts(potSplit.deductBatchCosts)}{' '}
              <code>commons.potSplit.deductBatchCosts: {String(potSplit.deductBatchCosts)}</code>
            </p>
            {events.length === 0 ? (
              <p>{m.ledger.none}</p>
            ) : (
              <>
                <LedgerTable events={events} titles={titles} />
                <Pager offset={offset} shown={events.length} total={total} page={PAGE} onMove={setOffset} />
              </>
            )}
          </>
        )}
      </Show>
    </section>
  );
}
