// The `brewfather:` section of cobrew.yaml: which fermenters go to a Brewfather Custom Stream.
import { type Static, Type as T } from '@sinclair/typebox';

/** Brewfather's documented limit: one post per 15 minutes per device. */
export const BREWFATHER_MIN_INTERVAL_S = 900;

export const BrewfatherSchema = T.Object(
  {
    streamUrl: T.String({
      pattern: '^https?://[^\\s/?#]+(/[^\\s#]*)?$',
      description:
        'The Custom Stream URL from Brewfather (Settings → Power-ups → Custom Stream), e.g. ' +
        'http://log.brewfather.net/stream?id=… `cobrew config check` never prints it',
    }),
    fermenters: T.Array(T.String({ minLength: 1 }), {
      minItems: 1,
      uniqueItems: true,
      description:
        'Ids of the fermenters whose readings are pushed; each is one Brewfather device, named by its id',
    }),
    intervalS: T.Integer({
      default: BREWFATHER_MIN_INTERVAL_S,
      minimum: BREWFATHER_MIN_INTERVAL_S,
      maximum: 86_400,
      description: 'Seconds between two posts of one fermenter; Brewfather takes one per 15 minutes at most',
    }),
    retryMinS: T.Integer({
      default: 30,
      minimum: 1,
      maximum: 3600,
      description: 'First wait after a failed post; doubled after each failure in a row, up to intervalS',
    }),
    timeoutMs: T.Integer({ default: 10_000, minimum: 100, maximum: 120_000, description: 'Per post' }),
  },
  { additionalProperties: false, description: 'Push each listed fermenter to a Brewfather Custom Stream' },
);
export type BrewfatherSettings = Static<typeof BrewfatherSchema>;
