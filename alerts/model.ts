// What an alert is made of, shared by the rules, the router, the store and the channels.

export type Severity = 'critical' | 'warning' | 'info';

export const ALERT_KINDS = [
  'trip',
  'alarm',
  'offline',
  'out-of-band',
  'board-reset',
  'board-failsafe',
  'board-modified',
  'fermentation-done',
  'fermentation-stuck',
  'hydrometer-silent',
  'battery-low',
  'history-failing',
  'mirror-failing',
  'disk-full',
  'backup-failing',
  'channel-failing',
  'test',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The readings and details a message shows; every field is optional. */
export interface Facts {
  fermenterName?: string;
  code?: string;
  message?: string;
  beerC?: number | null;
  beerSetpointC?: number | null;
  chamberC?: number | null;
  gravity?: number | null;
  batteryV?: number | null;
  detail?: string;
  incidentId?: number;
}

/** A condition the rules hold to be true now; its key names it for as long as it lasts. */
export interface Condition {
  key: string;
  kind: AlertKind;
  severity: Severity;
  fermenterId: string | null;
  facts: Facts;
  /** Our clock, epoch ms. */
  at: number;
  /** Whether its end is worth a "resolved" message (a done fermentation is not). */
  notifyResolved: boolean;
}

export type Transition = { type: 'raise'; condition: Condition } | { type: 'clear'; key: string; at: number };

export const CHANNEL_KINDS = ['ntfy', 'webhook', 'email', 'telegram'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
