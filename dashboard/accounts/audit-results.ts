// How a command sent through the dashboard ended, as the audit log records it. Apart from the log, which needs
// the database, so that the API's schemas (and the front-end's types made from them) need nothing more.
export const AUDIT_RESULTS = ['ok', 'refused', 'timeout', 'unsent'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
