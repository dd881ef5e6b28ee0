// The live feed: fermenter states, incidents, availability and audit entries pushed by the server over
// Server-Sent Events (GET /api/live). A lost connection shows at once and is retried with a growing pause;
// once back, the list is fetched again so nothing missed in between stays stale.
import { batch, type Signal, signal } from '@preact/signals';
import { type AuditEntry, api, type FermenterState, type FermenterView, type Incident } from './api.js';
import { noticeSessionEnd } from './session.js';

/** A fermenter as the page shows it: the list's view (with availability), kept current by the feed. */
export type Fermenter = FermenterView;

export type Connection = 'connecting' | 'open' | 'lost';

export const connection = signal<Connection>('connecting');
export const fermenterIds = signal<string[]>([]);
/** One signal per fermenter, so a state re-renders only what shows that fermenter. */
const byId = new Map<string, Signal<Fermenter>>();
/** Incidents heard since the page opened, newest first. */
export const liveIncidents = signal<Incident[]>([]);
export const listLoaded = signal(false);

type Listener<T> = (value: T) => void;
const stateListeners = new Set<Listener<FermenterState>>();
const auditListeners = new Set<Listener<AuditEntry>>();

export function onState(fn: Listener<FermenterState>): () => void {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

export function onAudit(fn: Listener<AuditEntry>): () => void {
  auditListeners.add(fn);
  return () => auditListeners.delete(fn);
}

export function fermenter(id: string): Signal<Fermenter> | undefined {
  return byId.get(id);
}

function upsert(id: string, change: (old: Fermenter) => Fermenter): void {
  let s = byId.get(id);
  if (s === undefined) {
    s = signal<Fermenter>(change({ id, name: id, state: null, receivedAt: null, online: null }));
    byId.set(id, s);
    fermenterIds.value = [...fermenterIds.value, id];
  } else {
    s.value = change(s.value);
  }
}

async function loadList(): Promise<void> {
  const { fermenters } = await api.fermenters();
  batch(() => {
    for (const f of fermenters) {
      upsert(f.id, (old) => ({
        ...f,
        // A state already heard live is newer than the list's.
        state: old.state !== null && f.state !== null && old.state.at > f.state.at ? old.state : f.state,
        online: f.online ?? old.online,
      }));
    }
    listLoaded.value = true;
  });
}

const MAX_RETRY_MS = 10_000;
let source: EventSource | null = null;
let retryMs = 500;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let wasLost = false;

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

function open(): void {
  const es = new EventSource('/api/live');
  source = es;
  es.addEventListener('open', () => {
    connection.value = 'open';
    retryMs = 500;
    if (wasLost) {
      wasLost = false;
      loadList().catch(() => {});
    }
  });
  es.addEventListener('error', () => {
    connection.value = 'lost';
    wasLost = true;
    // The browser retries by itself after a dropped stream, but not after an HTTP error: then we do.
    if (es.readyState === EventSource.CLOSED && source === es) {
      source = null;
      // Refused rather than cut: an ended session signs the page out (which stops the feed).
      api.me().catch(noticeSessionEnd);
      retryTimer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  });
  es.addEventListener('state', (e) => {
    const state = parse<FermenterState>(e);
    if (state === null) return;
    upsert(state.id, (old) => ({ ...old, name: state.name, state, receivedAt: Date.now() }));
    for (const fn of stateListeners) fn(state);
  });
  es.addEventListener('availability', (e) => {
    const a = parse<{ fermenterId: string; online: boolean }>(e);
    if (a !== null) upsert(a.fermenterId, (old) => ({ ...old, online: a.online }));
  });
  es.addEventListener('incident', (e) => {
    const incident = parse<Incident>(e);
    if (incident !== null) liveIncidents.value = [incident, ...liveIncidents.value].slice(0, 500);
  });
  es.addEventListener('audit', (e) => {
    const entry = parse<AuditEntry>(e);
    if (entry !== null) for (const fn of auditListeners) fn(entry);
  });
}

/** Starts (or restarts, after signing in) the list and the live feed. */
export function startLive(): void {
  stopLive();
  connection.value = 'connecting';
  loadList().catch((err: unknown) => {
    connection.value = 'lost';
    noticeSessionEnd(err);
  });
  open();
}

export function stopLive(): void {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  wasLost = false;
}
