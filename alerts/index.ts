// The alerts as other code uses them: the service the application starts, the ports it fills in, and what
// the dashboard's routes and the CLI need.
export { type AckClaim, checkAckToken } from './ack-link.js';
export { AlertsSchema, type AlertsSettings, type RotaSlot, RotaSlotSchema } from './config-schema.js';
export {
  type Contact,
  ContactSchema,
  maskContact,
  mergeSecrets,
  type SpaceDefaults,
  SpaceDefaultsSchema,
} from './contact-schema.js';
export { diskProbe, type HealthProbe, type HealthReport, historyProbe, mirrorProbe } from './health.js';
export { CHANNEL_KINDS, type ChannelKind } from './model.js';
export {
  type AckAudit,
  AlertRouter,
  noOwners,
  type OwnerDirectory,
  type PeopleDirectory,
  SPACE,
} from './router.js';
export { type AlertsOptions, type RunningAlerts, startAlerts } from './service.js';
export type { AlertRecord, AlertStore, DeliveryRecord } from './store.js';
