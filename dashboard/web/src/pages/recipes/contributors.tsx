// Everyone in the ledger with their points, and each contributor's own contributions.
import { useState } from 'preact/hooks';
import { t } from '../../prefs.js';
import { commons } from './api.js';
import { rt } from './i18n.js';
import { useRecipeTitles } from './ledger.js';
import { LedgerTable } from './ledger-table.js';
import { useLoad } from './load.js';
import { Pager, Show, When } from './parts.js';
import { commonsHref } from './routes.js';

const PAGE = 100;

export function Contributors() {
  const m = rt.value;
  const c = m.contributors;
  const state = useLoad(() => commons.contributors(), []);
  return (
    <section>
      <h1 tabIndex={-1}>{c.title}</h1>
      <p class="muted">{c.intro}</p>
      <Show state={state}>
        {({ contributors }) =>
          contributors.length === 0 ? (
            <p>{c.none}</p>
          ) : (
            <table class="commons-table" data-testid="contributors">
              <thead>
                <tr>
                  <th scope="col">{c.name}</th>
                  <th scope="col">{c.points}</th>
                  <th scope="col">{c.events}</th>
                  <th scope="col">{c.first}</th>
                  <th scope="col">{c.last}</th>
                </tr>
              </thead>
              <tbody>
                {contributors.map((p) => (
                  <tr key={p.name}>
                    <td data-label={c.name}>
                      <a href={commonsHref.contributor(p.name)}>{p.name}</a>
                    </td>
                    <td data-label={c.points}>{p.points}</td>
                    <td data-label={c.events}>{p.events}</td>
                    <td data-label={c.first}>
                      <When at={p.first} />
                    </td>
                    <td data-label={c.last}>
                      <When at={p.last} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

export function ContributorPage({ name }: { name: string }) {
  const m = rt.value;
  const [offset, setOffset] = useState(0);
  const state = useLoad(() => commons.ledger({ contributor: name, limit: PAGE, offset }), [name, offset]);
  const summary = useLoad(() => commons.contributors(), []);
  const titles = useRecipeTitles();
  const me = summary.status === 'ok' ? summary.data.contributors.find((p) => p.name === name) : undefined;
  return (
    <section data-contributor={name}>
      <p class="crumb">
        <a href={commonsHref.contributors()}>← {m.contributors.title}</a>
      </p>
      <h1 tabIndex={-1}>{m.contributors.of(name)}</h1>
      {me !== undefined && (
        <p class="meta" data-testid="contributor-summary">
          {m.contributors.points}
          {t.value.colon}
          {me.points} · {m.contributors.events}
          {t.value.colon}
          {me.events}
        </p>
      )}
      <Show state={state}>
        {({ events, total }) =>
          events.length === 0 ? (
            <p>{m.contributors.none}</p>
          ) : (
            <>
              <LedgerTable events={events} titles={titles} who={false} />
              <Pager offset={offset} shown={events.length} total={total} page={PAGE} onMove={setOffset} />
            </>
          )
        }
      </Show>
    </section>
  );
}
