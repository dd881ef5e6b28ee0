// The list the page and the API show: every configured fermenter in configuration order, with or without
// a state yet, then any other fermenter heard on the broker (another bridge sharing it).
import type { FermenterState } from '../firmware-bridge/types.js';
import type { StoredState } from './state-store.js';

export interface FermenterView {
  id: string;
  name: string;
  state: FermenterState | null;
  receivedAt: number | null;
  online: boolean | null;
}

export interface StateLookup {
  get(id: string): StoredState | undefined;
  all(): StoredState[];
  online(id: string): boolean | null;
}

export function listFermenters(
  configured: ReadonlyArray<{ id: string; name: string }>,
  store: StateLookup,
): FermenterView[] {
  const known = new Set(configured.map((f) => f.id));
  const views = configured.map((f) => {
    const stored = store.get(f.id);
    return {
      id: f.id,
      name: f.name,
      state: stored?.state ?? null,
      receivedAt: stored?.receivedAt ?? null,
      online: store.online(f.id),
    };
  });
  const others = store
    .all()
    .filter((s) => !known.has(s.state.id))
    .sort((a, b) => a.state.id.localeCompare(b.state.id))
    .map((s) => ({
      id: s.state.id,
      name: s.state.name,
      state: s.state,
      receivedAt: s.receivedAt,
      online: store.online(s.state.id),
    }));
  return [...views, ...others];
}
