// The commons HTTP API (recipes/api) as the recipe pages use it, through the dashboard's one client (session
// cookie, CSRF token, the server's error code and message kept). Shapes follow recipes/api/schemas.ts.
import type { RecipeFigures } from '../../../../../recipes/calc/index.js';
import type {
  Lineage,
  RecipeDetail,
  RecipeSummary,
  BrewLog as StoredBrewLog,
  BrewLogSummary as StoredBrewLogSummary,
  Version,
} from '../../../../../recipes/commons/types.js';
import { query, request } from '../../api.js';

// The server's own shapes (type-only imports of dependency-free modules: nothing of the server is bundled).
export type {
  GravityReading as Reading,
  Lineage,
  LineageNode,
  Origin,
  RecipeDetail,
  RecipeSummary,
  Version,
  VersionMeta,
  Visibility,
} from '../../../../../recipes/commons/types.js';
export type Figures = RecipeFigures;

/** The API adds the link to the fermenter's sensor history over the log's time range. */
type WithHistory<T> = T & { historyUrl: string | null };
export type BrewLogSummary = WithHistory<StoredBrewLogSummary>;
export type BrewLog = WithHistory<StoredBrewLog>;

export interface LicenceInfo {
  id: string;
  name: string;
  url: string;
  attribution: boolean;
  forkLicences: string[];
  forkReason: string;
}

export interface Attribution {
  attribution: { title: string; number: number; authors: string[]; licence: { id: string; url: string } };
  text: string;
  markdown: string;
}

export type Weights = Record<string, number>;

export interface LedgerEvent {
  seq: number;
  id: string;
  at: number;
  contributor: string;
  kind: string;
  recipeId: string | null;
  versionId: string | null;
  brewlogId: string | null;
  reference: string;
  note: string;
  weight: number;
  rule: { setting: string; weight: number };
  recordedBy: string;
}

export interface Contributor {
  name: string;
  events: number;
  points: number;
  first: number;
  last: number;
}

export interface PotSplit {
  recipeId: string;
  number: number;
  title: string;
  amount: string;
  totalPoints: number;
  shares: Array<{
    contributor: string;
    points: number;
    fraction: string;
    exact: string;
    floor: string;
    extraCent: number;
    amount: string;
    lines: Array<{ eventId: string; at: number; kind: string; rule: string; weight: number; exact: string }>;
  }>;
}

export interface ForkInput {
  licence?: string;
  title?: string;
  note?: string;
}

const recipe = (id: string) => `/api/recipes/${encodeURIComponent(id)}`;
const version = (id: string, n: number) => `${recipe(id)}/versions/${n}`;

export const commons = {
  recipes: (q: { q?: string; author?: string; licence?: string; limit?: number; offset?: number }) =>
    request<{ recipes: RecipeSummary[]; total: number }>('GET', `/api/recipes${query(q)}`),
  recipe: (id: string) => request<RecipeDetail>('GET', recipe(id)),
  figures: (id: string, n: number) =>
    request<{ figures: Figures | null; problem: string | null }>('GET', `${version(id, n)}/figures`),
  version: (id: string, n: number) => request<Version>('GET', version(id, n)),
  lineage: (id: string, n: number) => request<Lineage>('GET', `${version(id, n)}/lineage`),
  attribution: (id: string, n: number, lang: string) =>
    request<Attribution>('GET', `${version(id, n)}/attribution${query({ lang })}`),
  licences: () => request<{ default: string; licences: LicenceInfo[] }>('GET', '/api/licences'),
  fork: (id: string, n: number, body: ForkInput) =>
    request<RecipeDetail>('POST', `${version(id, n)}/fork`, body),
  brewLogs: (q: { recipe?: string; brewer?: string }) =>
    request<{ brewLogs: BrewLogSummary[] }>('GET', `/api/brewlogs${query(q)}`),
  brewLog: (id: string) => request<BrewLog>('GET', `/api/brewlogs/${encodeURIComponent(id)}`),
  ledger: (q: { contributor?: string; limit?: number; offset?: number }) =>
    request<{ events: LedgerEvent[]; total: number; weights: Weights }>('GET', `/api/ledger${query(q)}`),
  contributors: () => request<{ contributors: Contributor[]; weights: Weights }>('GET', '/api/contributors'),
  potSplit: (id: string, amount: string) =>
    request<PotSplit>('GET', `${recipe(id)}/pot-split${query({ amount })}`),
};

export const ledgerExportUrl = (format: 'csv' | 'json') => `/api/ledger/export${query({ format })}`;
export const asBrewedUrl = (id: string) => `/api/brewlogs/${encodeURIComponent(id)}/beerjson`;
