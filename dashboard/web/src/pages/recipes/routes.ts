// The commons' pages under the dashboard's hash router: router.ts hands over every path starting with one of
// its roots (recipes, brewlogs, contributors, ledger, hardware), and this reads the rest.
export type CommonsRoute =
  | { view: 'browse' }
  | { view: 'recipe'; id: string; number: number | null }
  | { view: 'brewlogs' }
  | { view: 'brewlog'; id: string }
  | { view: 'contributors' }
  | { view: 'contributor'; name: string }
  | { view: 'ledger' }
  | { view: 'pot-split'; recipeId: string | null }
  | { view: 'hardware' };

export function parseCommons(parts: readonly string[]): CommonsRoute {
  const [root, a, b, c] = parts;
  if (root === 'recipes' && a !== undefined) {
    const n = Number(c);
    if (b === 'versions' && Number.isInteger(n) && n >= 1 && parts.length === 4)
      return { view: 'recipe', id: a, number: n };
    return { view: 'recipe', id: a, number: null };
  }
  if (root === 'brewlogs') return a === undefined ? { view: 'brewlogs' } : { view: 'brewlog', id: a };
  if (root === 'contributors')
    return a === undefined ? { view: 'contributors' } : { view: 'contributor', name: a };
  if (root === 'ledger' && a === 'pot-split') return { view: 'pot-split', recipeId: b ?? null };
  if (root === 'ledger') return { view: 'ledger' };
  if (root === 'hardware') return { view: 'hardware' };
  return { view: 'browse' };
}

const enc = encodeURIComponent;

export const commonsHref = {
  browse: () => '#/recipes',
  recipe: (id: string) => `#/recipes/${enc(id)}`,
  version: (id: string, n: number) => `#/recipes/${enc(id)}/versions/${n}`,
  brewLogs: () => '#/brewlogs',
  brewLog: (id: string) => `#/brewlogs/${enc(id)}`,
  contributors: () => '#/contributors',
  contributor: (name: string) => `#/contributors/${enc(name)}`,
  ledger: () => '#/ledger',
  hardware: () => '#/hardware',
  potSplit: (recipeId?: string) => `#/ledger/pot-split${recipeId === undefined ? '' : `/${enc(recipeId)}`}`,
};
