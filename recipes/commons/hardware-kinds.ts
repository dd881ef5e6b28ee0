// The kinds of hardware the commons shares; apart so that the API schemas (read by the front-end) need no Node.
export const HARDWARE_KINDS = ['board-profile', 'reference-board'] as const;
export type HardwareKind = (typeof HARDWARE_KINDS)[number];
