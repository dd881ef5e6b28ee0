// Bounds of a history query, apart from the routes' schemas so that the history worker can hold queries to
// them without loading TypeBox.

/** Points in a history answer: by default, and at most (the reader holds every query to them). */
export const DEFAULT_MAX_POINTS = 1000;
export const MAX_MAX_POINTS = 10_000;
/** The latest time a JavaScript date can hold: every range in a query lies within [0, this]. */
export const MAX_TIME_MS = 8.64e15;
