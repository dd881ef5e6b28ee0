// Each person's own alert settings: language, quiet hours and channels with their addresses. Kept in
// <data dir>/alerts.db, set from the dashboard; secrets (tokens, webhook keys) are never shown back whole.
import { type Static, Type as T } from '@sinclair/typebox';

const HHMM = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const ContactSchema = T.Object(
  {
    lang: T.Union([T.Literal('fr'), T.Literal('en')], { default: 'fr' }),
    quietHours: T.Union([T.Object({ from: HHMM, to: HHMM }, { additionalProperties: false }), T.Null()], {
      default: null,
      description: "Warnings wait until they end; critical alerts go through. null: the space's default",
    }),
    channels: T.Object(
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
    ),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;

export const NO_CONTACT: Contact = { lang: 'fr', quietHours: null, channels: {} };

/** The contact as shown back: secrets reduced to their last four characters. */
export function maskContact(c: Contact): Contact {
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
export function mergeSecrets(next: Contact, stored: Contact): Contact {
  const masked = (s: string | undefined) => s?.startsWith('…') === true;
  const out: Contact = structuredClone(next);
  if (out.channels.ntfy !== undefined && masked(out.channels.ntfy.token)) {
    const token = stored.channels.ntfy?.token;
    if (token === undefined) delete out.channels.ntfy.token;
    else out.channels.ntfy.token = token;
  }
  if (
    out.channels.webhook !== undefined &&
    masked(out.channels.webhook.secret) &&
    stored.channels.webhook !== undefined
  )
    out.channels.webhook.secret = stored.channels.webhook.secret;
  return out;
}
