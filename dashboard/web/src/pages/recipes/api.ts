// The commons HTTP API (recipes/api) as the recipe pages use it, through the dashboard's one client (session
// cookie, CSRF token, the server's error code and message kept). The types are those of the API's schemas
// (type-only imports: nothing of the server is bundled).
import type { Static } from '@sinclair/typebox';
import type {
  BatchCostSchema,
  ConsumableSchema,
  NewConsumableSchema,
} from '../../../../../recipes/api/cost-schemas.js';
import type { HardwareListSchema } from '../../../../../recipes/api/hardware-schemas.js';
import type {
  AttributionResponseSchema,
  BookingListSchema,
  BrewLogListSchema,
  BrewLogSchema,
  ContributorListSchema,
  FermenterHoldersSchema,
  FiguresSchema,
  LedgerListSchema,
  LicenceListSchema,
  LineageSchema,
  NewForkSchema,
  PotSplitSchema,
  RecipeDetailSchema,
  RecipeListSchema,
  VersionSchema,
} from '../../../../../recipes/api/schemas.js';
import { query, request } from '../../api.js';

export type RecipeList = Static<typeof RecipeListSchema>;
export type RecipeSummary = RecipeList['recipes'][number];
export type RecipeDetail = Static<typeof RecipeDetailSchema>;
export type Version = Static<typeof VersionSchema>;
export type Lineage = Static<typeof LineageSchema>;
export type LineageNode = Lineage['version'];
export type FiguresAnswer = Static<typeof FiguresSchema>;
export type Figures = NonNullable<FiguresAnswer['figures']>;
export type LicenceList = Static<typeof LicenceListSchema>;
export type LicenceInfo = LicenceList['licences'][number];
export type Attribution = Static<typeof AttributionResponseSchema>;
export type BrewLogList = Static<typeof BrewLogListSchema>;
export type BrewLog = Static<typeof BrewLogSchema>;
export type Reading = BrewLog['readings'][number];
export type LedgerList = Static<typeof LedgerListSchema>;
export type LedgerRow = LedgerList['events'][number];
/** An event the viewer may see whole (the others are placeholders: `private`). */
export type LedgerEvent = Exclude<LedgerRow, { private: true }>;
export type Weights = LedgerList['weights'];
export type ContributorList = Static<typeof ContributorListSchema>;
export type PotSplit = Static<typeof PotSplitSchema>;
export type ForkInput = Static<typeof NewForkSchema>;
export type Holders = Static<typeof FermenterHoldersSchema>;
export type BookingList = Static<typeof BookingListSchema>;
export type BatchCost = Static<typeof BatchCostSchema>;
export type HardwareList = Static<typeof HardwareListSchema>;
export type HardwareItem = HardwareList['hardware'][number];
export type Consumable = Static<typeof ConsumableSchema>;
export type NewConsumable = Static<typeof NewConsumableSchema>;

const recipe = (id: string) => `/api/recipes/${encodeURIComponent(id)}`;
const version = (id: string, n: number) => `${recipe(id)}/versions/${n}`;
const batch = (id: string) => `/api/batches/${encodeURIComponent(id)}`;

export const commons = {
  recipes: (q: { q?: string; author?: string; licence?: string; limit?: number; offset?: number }) =>
    request<RecipeList>('GET', `/api/recipes${query(q)}`),
  recipe: (id: string) => request<RecipeDetail>('GET', recipe(id)),
  figures: (id: string, n: number) => request<FiguresAnswer>('GET', `${version(id, n)}/figures`),
  version: (id: string, n: number) => request<Version>('GET', version(id, n)),
  lineage: (id: string, n: number) => request<Lineage>('GET', `${version(id, n)}/lineage`),
  attribution: (id: string, n: number, lang: string) =>
    request<Attribution>('GET', `${version(id, n)}/attribution${query({ lang })}`),
  licences: () => request<LicenceList>('GET', '/api/licences'),
  fork: (id: string, n: number, body: ForkInput) =>
    request<RecipeDetail>('POST', `${version(id, n)}/fork`, body),
  brewLogs: (q: { recipe?: string; brewer?: string }) =>
    request<BrewLogList>('GET', `/api/brewlogs${query(q)}`),
  brewLog: (id: string) => request<BrewLog>('GET', `/api/brewlogs/${encodeURIComponent(id)}`),
  ledger: (q: { contributor?: string; limit?: number; offset?: number }) =>
    request<LedgerList>('GET', `/api/ledger${query(q)}`),
  contributors: () => request<ContributorList>('GET', '/api/contributors'),
  confirm: (eventId: string) =>
    request<LedgerEvent>('POST', `/api/ledger/events/${encodeURIComponent(eventId)}/confirm`),
  holders: () => request<Holders>('GET', '/api/batches/holders'),
  bookings: (q: { fermenter?: string; from?: number }) =>
    request<BookingList>('GET', `/api/bookings${query(q)}`),
  potSplit: (id: string, amount: string, batchId?: string) =>
    request<PotSplit>('GET', `${recipe(id)}/pot-split${query({ amount, batch: batchId })}`),
  hardware: () => request<HardwareList>('GET', '/api/hardware'),
  batchCost: (id: string) => request<BatchCost>('GET', `${batch(id)}/costs`),
  addConsumable: (id: string, body: NewConsumable) =>
    request<Consumable>('POST', `${batch(id)}/consumables`, body),
  removeConsumable: (id: string, consumableId: string) =>
    request<null>('DELETE', `${batch(id)}/consumables/${encodeURIComponent(consumableId)}`),
};

export const costExportUrl = (id: string, format: 'csv' | 'json') =>
  `${batch(id)}/costs/export${query({ format })}`;

export const ledgerExportUrl = (format: 'csv' | 'json') => `/api/ledger/export${query({ format })}`;
export const asBrewedUrl = (id: string) => `/api/brewlogs/${encodeURIComponent(id)}/beerjson`;
