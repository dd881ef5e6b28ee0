// A version's lineage drawn as lists, no graph library: the ancestors oldest first down to this version, then
// what was made from it as a tree (children found by parentId). Each node links to its version; a step into
// another recipe (a fork) says so; a private version the viewer may not see is a placeholder. Indentation stays small so deep trees still fit a phone.
import type { Lineage as LineageData, LineageNode } from './api.js';
import { rt } from './i18n.js';
import { When } from './parts.js';
import { commonsHref } from './routes.js';

function Node({ n, parent, current }: { n: LineageNode; parent: LineageNode | null; current?: boolean }) {
  const m = rt.value;
  const forked = parent !== null && parent.recipeId !== n.recipeId;
  return (
    <span class="node" data-version={n.id}>
      <a
        href={commonsHref.version(n.recipeId, n.number)}
        aria-current={current === true ? 'page' : undefined}
      >
        {n.title} v{n.number}
      </a>{' '}
      {forked && <span class="tag">{m.recipe.fork}</span>}{' '}
      <span class="muted small">
        {m.by} {n.author} · <When at={n.createdAt} /> · {n.licence}
      </span>
    </span>
  );
}

function Descendants({ of, byParent }: { of: LineageNode; byParent: Map<string, LineageNode[]> }) {
  const children = byParent.get(of.id) ?? [];
  if (children.length === 0) return null;
  return (
    <ul class="lineage-tree">
      {children.map((c) => (
        <li key={c.id}>
          <Node n={c} parent={of} />
          <Descendants of={c} byParent={byParent} />
        </li>
      ))}
    </ul>
  );
}

type Ancestor = LineageData['ancestors'][number];
const shown = (n: Ancestor): n is LineageNode => !('private' in n);

export function Lineage({ data }: { data: LineageData }) {
  const m = rt.value;
  const chain: Ancestor[] = [...data.ancestors, data.version];
  const byParent = new Map<string, LineageNode[]>();
  for (const d of data.descendants) {
    if (d.parentId === null) continue;
    byParent.set(d.parentId, [...(byParent.get(d.parentId) ?? []), d]);
  }
  return (
    <div data-testid="lineage">
      <ol class="lineage-chain">
        {chain.map((n, i) => {
          // A version the viewer may not see: said to be there, with nothing of it.
          if (!shown(n)) {
            return (
              <li key={`private-${n.distance}`} class="muted">
                {m.ledger.privateVersion}
              </li>
            );
          }
          const current = n.id === data.version.id;
          const before = chain[i - 1];
          return (
            <li key={n.id} class={current ? 'current' : undefined}>
              <Node n={n} parent={before !== undefined && shown(before) ? before : null} current={current} />
              {current && <Descendants of={n} byParent={byParent} />}
            </li>
          );
        })}
      </ol>
      {data.descendants.length === 0 && <p class="muted small">{m.recipe.noDescendants}</p>}
    </div>
  );
}
