// Each person's own alert settings: language, quiet hours and channels with their addresses. Kept in
// <data dir>/alerts.db, set from the dashboard; secrets (tokens, webhook keys) are never shown back whole.
import { type Static, Type as T } from '@sinclair/typebox';

const HHMM = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const ChannelsSchema = T.Object(
  {
    ntfy: T.Optional(
      T.Object(
        {
          url: T.String({
            pattern: '^https?://[^\\s/]+(/[^\\s/]+)*/[A-Za-z0-9_-]{1,64}$',
            description: 'The topic URL',
          }),
          token: T.Optional(T.String({ minLength: 1, maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
    ),
    webhook: T.Optional(
      T.Object(
        {
          url: T.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 }),
          secret: T.String({
            minLength: 16,
            maxLength: 256,
            description: 'Key of the HMAC-SHA256 signature',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    email: T.Optional(
      T.Object(
        { address: T.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254 }) },
        { additionalProperties: false },
      ),
    ),
    telegram: T.Optional(
      T.Object(
        { chatId: T.String({ pattern: '^-?[0-9]{1,20}$|^@[A-Za-z0-9_]{5,32}$' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);
export type Channels = Static<typeof ChannelsSchema>;

const Lang = T.Union([T.Literal('fr'), T.Literal('en')], { default: 'fr' });

export const ContactSchema = T.Object(
  {
    lang: Lang,
    quietHours: T.Union([T.Object({ from: HHMM, to: HHMM }, { additionalProperties: false }), T.Null()], {
      default: null,
      description: "Warnings wait until they end; critical alerts go through. null: the space's default",
    }),
    channels: ChannelsSchema,
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;

export const NO_CONTACT: Contact = { lang: 'fr', quietHours: null, channels: {} };

/**
 * The space's default channels, set by admins (in the dashboard, or `alerts.defaults` in cobrew.yaml): they
 * carry the messages of anyone who set no channel of their own, and every message to the admins.
 */
export const SpaceDefaultsSchema = T.Object(
  { lang: Lang, channels: ChannelsSchema },
  {
    additionalProperties: false,
    default: {},
    description:
      "The space's default channels: for people with none of their own, and for every alert to the admins",
  },
);
export type SpaceDefaults = Static<typeof SpaceDefaultsSchema>;

/** Settings as shown back: secrets reduced to their last four characters. */
export function maskContact<C extends { channels: Channels }>(c: C): C {
  const mask = (s: string) => `…${s.slice(-4)}`;
  const { ntfy, webhook } = c.channels;
  return {
    ...c,
    channels: {
      ...c.channels,
      ...(ntfy === undefined
        ? {}
        : { ntfy: { ...ntfy, ...(ntfy.token === undefined ? {} : { token: mask(ntfy.token) }) } }),
      ...(webhook === undefined ? {} : { webhook: { ...webhook, secret: mask(webhook.secret) } }),
    },
  };
}

/** An update whose secrets are still masked keeps the stored ones. */
export function mergeSecrets<C extends { channels: Channels }>(next: C, stored: { channels: Channels }): C {
  const masked = (s: string | undefined) => s?.startsWith('…') === true;
  const out: C = structuredClone(next);
  // Not yet checked: whatever is not an object with channels is left for the schema to refuse.
  const channels = (out as Partial<C> | null)?.channels;
  if (typeof channels !== 'object' || channels === null) return out;
  if (channels.ntfy !== undefined && masked(channels.ntfy.token)) {
    const token = stored.channels.ntfy?.token;
    if (token === undefined) delete channels.ntfy.token;
    else channels.ntfy.token = token;
  }
  if (
    channels.webhook !== undefined &&
    masked(channels.webhook.secret) &&
    stored.channels.webhook !== undefined
  )
    channels.webhook.secret = stored.channels.webhook.secret;
  return out;
}
