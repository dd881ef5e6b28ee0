// The payload of <base>/bridge/<bridgeId>/fermenters: which fermenters a bridge runs, so that a hub can show
// them offline when the bridge's last will says it is gone (their own availability stays `online`).
import { type Static, Type as T } from '@sinclair/typebox';

export const BridgeFermentersSchema = T.Object(
  {
    fermenters: T.Array(T.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' }), {
      maxItems: 10_000,
      uniqueItems: true,
      description: 'The ids of the fermenters this bridge runs',
    }),
  },
  {
    description: 'Retained on <base>/bridge/<bridgeId>/fermenters, published by the bridge on every connect',
  },
);
export type BridgeFermenters = Static<typeof BridgeFermentersSchema>;
