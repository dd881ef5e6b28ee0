// The shapes the commons hands out. Times are epoch milliseconds; ids are UUIDs shared by every space that
// holds a copy, which is what lets bundles travel without duplicates.

export type Visibility = 'public' | 'private';

/** Who is asking. Admins see and may change everything; others see public things and their own. */
export interface Viewer {
  name: string;
  admin: boolean;
}

/** Command-line tools act for the whole space. */
export const SPACE_VIEWER: Viewer = { name: '', admin: true };

/**
 * The space a recipe or brew log was made in. `id` names it for sure (its key's, see space-key.ts; null for
 * what was imported before bundles were signed); `url` is where its pages are, when the space has said.
 */
export interface Origin {
  id: string | null;
  name: string;
  url: string | null;
}

export interface VersionMeta {
  id: string;
  recipeId: string;
  /** 1, 2, 3… within the recipe. */
  number: number;
  /** The version this one was made from: the previous version, or for a fork's first, the parent's. */
  parentId: string | null;
  author: string;
  createdAt: number;
  note: string;
  /** The recipe's name in this version's document. */
  title: string;
  /** SHA-256 (hex) of the document's JSON text. */
  sha256: string;
}

export interface Version extends VersionMeta {
  /** The BeerJSON 1.0 document, exactly as stored. */
  document: unknown;
}

export interface RecipeSummary {
  id: string;
  /** The name in the latest version. */
  title: string;
  licence: string;
  visibility: Visibility;
  /** Who made it (its first author). */
  owner: string;
  createdAt: number;
  updatedAt: number;
  versionCount: number;
  latestVersionId: string;
  /** Where it was made; `local` when that is this space (only the home space adds versions). */
  origin: Origin;
  local: boolean;
  /** For a fork, the version it was forked from. */
  forkedFrom: { recipeId: string; versionId: string; number: number; title: string } | null;
}

export interface RecipeDetail extends RecipeSummary {
  versions: VersionMeta[];
}

/** A version seen from a lineage: where it sits and under which licence. */
export interface LineageNode extends VersionMeta {
  recipeTitle: string;
  licence: string;
  visibility: Visibility;
  origin: Origin;
  /** Steps away from the version asked about. */
  distance: number;
}

/** A version in a lineage that the viewer may not see: only how far it is, no id, title or author. */
export interface PrivateNode {
  private: true;
  distance: number;
}

export interface Lineage {
  version: LineageNode;
  /** Oldest first: the root of the lineage down to the version's parent (placeholders for private ones). */
  ancestors: Array<LineageNode | PrivateNode>;
  /** Every version made from this one, directly or not, nearest first (a tree: follow `parentId`). */
  descendants: LineageNode[];
}

// ---- brew logs (made and kept by brewlogs.ts) ----

export type ReadingSource = 'manual' | 'ispindel';

export interface GravityReading {
  id: string;
  at: number;
  /** Specific gravity, e.g. 1.048. */
  gravity: number;
  source: ReadingSource;
  note: string;
  recordedBy: string;
}

export interface BrewLogSummary {
  id: string;
  recipeId: string;
  versionId: string;
  versionNumber: number;
  recipeTitle: string;
  name: string;
  brewer: string;
  fermenterId: string | null;
  startedAt: number;
  /** null while the batch is still in the fermenter. */
  endedAt: number | null;
  visibility: Visibility;
  createdAt: number;
  updatedAt: number;
  origin: Origin;
  /** Opened in this space; logs that came in a bundle are read-only here. */
  local: boolean;
}

export interface BrewLog extends BrewLogSummary {
  notes: string;
  readings: GravityReading[];
  /** The recipe version as brewed (BeerJSON), copied when the log was opened. */
  snapshot: unknown;
}

// ---- batches (batches.ts) ----

/** A batch's profile step: firmware-bridge's ProfileStep shape, named. */
export interface BatchStep {
  name: string;
  type: 'hold' | 'ramp';
  targetC: number;
  durationH: number;
}

/** A brew log in a fermenter, with who else brews it and the profile it started with. */
export interface Batch extends BrewLog {
  fermenterId: string;
  /** Control the fermenter with the owner (the log's brewer). */
  coBrewers: string[];
  profile: BatchStep[] | null;
  /** Still in its fermenter (the log has no end). */
  active: boolean;
}

/** Who a fermenter belongs to now (for control rights and alerts). */
export interface FermenterBatch {
  fermenterId: string;
  batchId: string;
  name: string;
  owner: string;
  coBrewers: string[];
  since: number;
}

/** A fermenter held for a period (pitch to the end of conditioning and cold crash). */
export interface Booking {
  id: string;
  fermenterId: string;
  /** The batch it is for. */
  name: string;
  booker: string;
  startsAt: number;
  endsAt: number;
  note: string;
  createdAt: number;
  /** The batch it became once started; null before. */
  batchId: string | null;
}

/** One immutable version of a saved profile. */
export interface ProfileVersion {
  id: string;
  profileId: string;
  number: number;
  author: string;
  createdAt: number;
  title: string;
  note: string;
  steps: BatchStep[];
}

/** A saved fermentation profile: shared in the commons under a licence, credited to every version's author. */
export interface SavedProfile {
  id: string;
  licence: string;
  owner: string;
  createdAt: number;
  title: string;
  /** Oldest first. */
  versions: ProfileVersion[];
  /** Everyone who wrote a version, in order of first contribution (the attribution). */
  authors: string[];
}
