// What a version's BeerJSON document says it is made of, as text: batch size, style, and each addition with
// its amount. The document is untrusted data read defensively: anything missing or oddly typed is left out.
import { rt } from './i18n.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (typeof v === 'object' && v !== null ? (v as Json) : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj).filter((x) => x !== null) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A BeerJSON unit object ({ value, unit }) as "5.4 kg". */
function quantity(v: unknown): string {
  const q = obj(v);
  if (q === null || typeof q.value !== 'number') return '';
  return `${q.value} ${str(q.unit)}`.trim();
}

function Additions({ title, items, extra }: { title: string; items: Json[]; extra?: (i: Json) => string }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul class="additions">
        {items.map((i, n) => {
          const parts = [quantity(i.amount), extra?.(i) ?? ''].filter((p) => p !== '');
          return (
            <li key={n}>
              {str(i.name)}
              {parts.length > 0 && <span class="muted"> — {parts.join(' · ')}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function Ingredients({ document }: { document: unknown }) {
  const m = rt.value;
  const recipe = list(obj(obj(document)?.beerjson)?.recipes)[0];
  if (recipe === undefined) return null;
  const ing = obj(recipe.ingredients) ?? {};
  const batch = quantity(recipe.batch_size);
  const style = str(obj(recipe.style)?.name);
  return (
    <>
      <dl class="facts">
        {batch !== '' && (
          <div>
            <dt>{m.recipe.batch}</dt>
            <dd>{batch}</dd>
          </div>
        )}
        {style !== '' && (
          <div>
            <dt>{m.recipe.style}</dt>
            <dd>{style}</dd>
          </div>
        )}
      </dl>
      <div class="ingredients">
        <Additions title={m.recipe.fermentables} items={list(ing.fermentable_additions)} />
        <Additions
          title={m.recipe.hops}
          items={list(ing.hop_additions)}
          extra={(h) => quantity(obj(h.timing)?.time)}
        />
        <Additions title={m.recipe.cultures} items={list(ing.culture_additions)} />
        <Additions title={m.recipe.miscellaneous} items={list(ing.miscellaneous_additions)} />
      </div>
    </>
  );
}
