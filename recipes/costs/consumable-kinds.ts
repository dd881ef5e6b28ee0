// What a consumable recorded against a batch may be; apart so that the API schemas (read by the front-end)
// need no Node.
export const CONSUMABLE_KINDS = ['yeast', 'co2', 'cleaning', 'other'] as const;
export type ConsumableKind = (typeof CONSUMABLE_KINDS)[number];
