// The recipe browser: search by title or author, an author's exact name, and licence; newest change first.
import { useState } from 'preact/hooks';
import { commons, type RecipeSummary } from './api.js';
import { rt } from './i18n.js';
import { useLoad } from './load.js';
import { Pager, Show, When } from './parts.js';
import { commonsHref } from './routes.js';

const PAGE = 50;

interface Search {
  q: string;
  author: string;
  licence: string;
}

function RecipeCard({ r }: { r: RecipeSummary }) {
  const m = rt.value;
  return (
    <li class="card recipe-card" data-recipe={r.id}>
      <h2>
        <a href={commonsHref.recipe(r.id)}>{r.title}</a>
      </h2>
      <p class="meta">
        <span class="licence">{r.licence}</span> · {m.by} {r.owner} · {m.browse.versions(r.versionCount)} ·{' '}
        <When at={r.updatedAt} />
        {r.visibility === 'private' && <> · {m.visibility.private}</>}
      </p>
      {r.forkedFrom !== null && (
        <p class="meta">
          {m.browse.forkedFrom}{' '}
          <a href={commonsHref.version(r.forkedFrom.recipeId, r.forkedFrom.number)}>
            {r.forkedFrom.title} v{r.forkedFrom.number}
          </a>
        </p>
      )}
    </li>
  );
}

export function Browse() {
  const m = rt.value;
  const [search, setSearch] = useState<Search>({ q: '', author: '', licence: '' });
  const [offset, setOffset] = useState(0);
  const licences = useLoad(() => commons.licences(), []);
  const list = useLoad(
    () =>
      commons.recipes({
        q: search.q === '' ? undefined : search.q,
        author: search.author === '' ? undefined : search.author,
        licence: search.licence === '' ? undefined : search.licence,
        limit: PAGE,
        offset,
      }),
    [search, offset],
  );

  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setOffset(0);
    setSearch({
      q: String(form.get('q') ?? '').trim(),
      author: String(form.get('author') ?? '').trim(),
      licence: String(form.get('licence') ?? ''),
    });
  };

  return (
    <section>
      <h1 tabIndex={-1}>{m.browse.title}</h1>
      <p class="muted">{m.browse.intro}</p>
      <form class="search" onSubmit={submit} data-testid="recipe-search">
        <label class="field">
          <span>{m.browse.search}</span>
          <input name="q" type="search" defaultValue={search.q} maxLength={200} />
        </label>
        <label class="field">
          <span>{m.browse.author}</span>
          <input name="author" defaultValue={search.author} maxLength={200} />
        </label>
        <label class="field">
          <span>{m.browse.licence}</span>
          <select name="licence" defaultValue={search.licence}>
            <option value="">{m.browse.anyLicence}</option>
            {licences.status === 'ok' &&
              licences.data.licences.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.id}
                </option>
              ))}
          </select>
        </label>
        <button type="submit">{m.browse.submit}</button>
      </form>
      <Show state={list}>
        {({ recipes, total }) => (
          <>
            <p class="muted" role="status">
              {total === 0 ? m.browse.none : m.browse.count(total)}
            </p>
            <ul class="recipe-list" data-testid="recipes">
              {recipes.map((r) => (
                <RecipeCard key={r.id} r={r} />
              ))}
            </ul>
            <Pager offset={offset} shown={recipes.length} total={total} page={PAGE} onMove={setOffset} />
          </>
        )}
      </Show>
    </section>
  );
}
