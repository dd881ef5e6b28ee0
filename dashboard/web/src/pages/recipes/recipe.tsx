// One recipe at one version (the latest unless the address names one): calculated figures, ingredients,
// every version with its change note, the lineage, the attribution in the reader's language, forking, its
// brew logs and its pot split. Every string people wrote is rendered as text.
import { formats } from '../../format.js';
import { locale, t } from '../../prefs.js';
import { commons, type Figures as FigureValues, type RecipeDetail } from './api.js';
import { ForkForm } from './fork.js';
import { rt } from './i18n.js';
import { Ingredients } from './ingredients.js';
import { Lineage } from './lineage.js';
import { canContribute, useLoad } from './load.js';
import { Show, When } from './parts.js';
import { commonsHref } from './routes.js';

function Figures({ id, number }: { id: string; number: number }) {
  const m = rt.value;
  const fmt = formats.value;
  const state = useLoad(() => commons.figures(id, number), [id, number]);
  const one = new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const value: Record<keyof FigureValues, (f: FigureValues) => string> = {
    og: (f) => fmt.gravity(f.og),
    fg: (f) => fmt.gravity(f.fg),
    abv: (f) => `${one.format(f.abv)}\u00a0%`,
    ibuTinseth: (f) => `${one.format(f.ibuTinseth)}\u00a0IBU`,
    ibuRager: (f) => `${one.format(f.ibuRager)}\u00a0IBU`,
    srm: (f) => one.format(f.srm),
    ebc: (f) => one.format(f.ebc),
  };
  return (
    <Show state={state}>
      {({ figures, problem }) =>
        figures === null ? (
          <p class="error" data-testid="figures-problem">
            {m.recipe.noFigures}
            {t.value.colon}
            {problem}
          </p>
        ) : (
          <dl class="facts figures" data-testid="figures">
            {(Object.keys(value) as (keyof FigureValues)[]).map((k) => (
              <div key={k}>
                <dt>{m.recipe.figureNames[k]}</dt>
                <dd data-figure={k}>{value[k](figures)}</dd>
              </div>
            ))}
          </dl>
        )
      }
    </Show>
  );
}

function Versions({ recipe, number }: { recipe: RecipeDetail; number: number }) {
  const m = rt.value;
  return (
    <ol class="versions" reversed data-testid="versions">
      {[...recipe.versions].reverse().map((v) => (
        <li key={v.id} value={v.number} class={v.number === number ? 'current' : undefined}>
          <a
            href={commonsHref.version(recipe.id, v.number)}
            aria-current={v.number === number ? 'page' : undefined}
          >
            {m.recipe.version(v.number)}
          </a>{' '}
          <span class="muted small">
            {m.by} {v.author} · <When at={v.createdAt} />
            {v.number === recipe.versionCount && <> · {m.recipe.latest}</>}
          </span>
          {v.note !== '' && <p class="note">{v.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function Attribution({ id, number }: { id: string; number: number }) {
  const m = rt.value;
  const lang = locale.value;
  const state = useLoad(() => commons.attribution(id, number, lang), [id, number, lang]);
  return (
    <Show state={state}>
      {({ text, markdown }) => (
        <>
          <pre class="attribution" data-testid="attribution" lang={lang}>
            {text}
          </pre>
          <details>
            <summary>{m.recipe.markdown}</summary>
            <pre class="attribution" data-testid="attribution-markdown">
              {markdown}
            </pre>
          </details>
        </>
      )}
    </Show>
  );
}

function BrewLogList({ recipeId }: { recipeId: string }) {
  const m = rt.value;
  const state = useLoad(() => commons.brewLogs({ recipe: recipeId }), [recipeId]);
  return (
    <Show state={state}>
      {({ brewLogs }) =>
        brewLogs.length === 0 ? (
          <p class="muted">{m.recipe.noBrewLogs}</p>
        ) : (
          <ul>
            {brewLogs.map((b) => (
              <li key={b.id}>
                <a href={commonsHref.brewLog(b.id)}>{b.name}</a>{' '}
                <span class="muted small">
                  v{b.versionNumber} · {m.by} {b.brewer} · <When at={b.startedAt} />
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </Show>
  );
}

function Version({ recipe, number }: { recipe: RecipeDetail; number: number }) {
  const m = rt.value;
  const version = useLoad(() => commons.version(recipe.id, number), [recipe.id, number]);
  const lineage = useLoad(() => commons.lineage(recipe.id, number), [recipe.id, number]);
  const licences = useLoad(() => commons.licences(), []);
  const meta = recipe.versions.find((v) => v.number === number);
  const licence =
    licences.status === 'ok' ? licences.data.licences.find((l) => l.id === recipe.licence) : null;
  return (
    <>
      <p class="meta" data-testid="recipe-meta">
        <strong>{m.recipe.version(number)}</strong>
        {number === recipe.versionCount && <> ({m.recipe.latest})</>} · {m.recipe.licence}
        {t.value.colon}
        {licence ? <a href={licence.url}>{recipe.licence}</a> : recipe.licence} · {m.recipe.owner}
        {t.value.colon}
        {recipe.owner} · {m.recipe.origin}
        {t.value.colon}
        {recipe.origin.url === null ? (
          recipe.origin.name
        ) : (
          <a href={recipe.origin.url}>{recipe.origin.name}</a>
        )}{' '}
        · {m.visibility[recipe.visibility]}
      </p>
      {recipe.forkedFrom !== null && (
        <p class="meta">
          {m.recipe.forkedFrom}{' '}
          <a href={commonsHref.version(recipe.forkedFrom.recipeId, recipe.forkedFrom.number)}>
            {recipe.forkedFrom.title} v{recipe.forkedFrom.number}
          </a>
        </p>
      )}
      {meta !== undefined && meta.note !== '' && <p class="note">{meta.note}</p>}
      <section class="panel" aria-labelledby="figures-title">
        <h2 id="figures-title">{m.recipe.figures}</h2>
        <Figures id={recipe.id} number={number} />
      </section>
      <section class="panel" aria-labelledby="ingredients-title">
        <h2 id="ingredients-title">{m.recipe.ingredients}</h2>
        <Show state={version}>{(v) => <Ingredients document={v.document} />}</Show>
      </section>
      <section class="panel" aria-labelledby="lineage-title">
        <h2 id="lineage-title">{m.recipe.lineage}</h2>
        <p class="muted small">{m.recipe.lineageIntro}</p>
        <Show state={lineage}>{(l) => <Lineage data={l} />}</Show>
      </section>
      <section class="panel" aria-labelledby="attribution-title">
        <h2 id="attribution-title">{m.recipe.attribution}</h2>
        <Attribution id={recipe.id} number={number} />
      </section>
      {canContribute.value && licences.status === 'ok' && (
        <details class="panel" data-testid="fork">
          <summary>
            <h2>{m.fork.title}</h2>
          </summary>
          <ForkForm
            recipeId={recipe.id}
            number={number}
            title={meta?.title ?? recipe.title}
            licence={recipe.licence}
            licences={licences.data.licences}
          />
        </details>
      )}
      <section class="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">{m.recipe.versions}</h2>
        <Versions recipe={recipe} number={number} />
      </section>
      <section class="panel" aria-labelledby="brewlogs-title">
        <h2 id="brewlogs-title">{m.recipe.brewLogs}</h2>
        <BrewLogList recipeId={recipe.id} />
      </section>
      <p>
        <a href={commonsHref.potSplit(recipe.id)}>{m.recipe.potSplit}</a>
      </p>
    </>
  );
}

export function RecipePage({ id, number }: { id: string; number: number | null }) {
  const m = rt.value;
  const state = useLoad(() => commons.recipe(id), [id]);
  const recipe = state.status === 'ok' ? state.data : null;
  const n = number ?? recipe?.versionCount ?? null;
  const title = recipe?.versions.find((v) => v.number === n)?.title ?? recipe?.title;
  return (
    <section class="recipe" data-recipe={id}>
      <p class="crumb">
        <a href={commonsHref.browse()}>← {m.browse.title}</a>
      </p>
      <h1 tabIndex={-1}>{title ?? m.browse.title}</h1>
      <Show state={state}>{(r) => n !== null && <Version recipe={r} number={n} />}</Show>
    </section>
  );
}
