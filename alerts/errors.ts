import createError from '@fastify/error';

export const AlertsOpenError = createError(
  'COBREW_ERR_ALERTS_OPEN',
  'Cannot open the alerts database %s (%s). Check that the data directory is writable and has free space.',
);

export const AlertUnknownError = createError(
  'COBREW_ERR_ALERT_UNKNOWN',
  'No alert "%s". GET /api/alerts lists them.',
  404,
);

export const AckLinkInvalidError = createError(
  'COBREW_ERR_ALERT_ACK_LINK',
  "This acknowledgement link is %s. Acknowledge the alert from the dashboard's alerts page instead.",
  400,
);

export const AlertChannelUnsetError = createError(
  'COBREW_ERR_ALERT_NO_CHANNEL',
  "%s has no %s set for alerts. Set it on the dashboard's alerts page (or `alerts.email`/`alerts.telegram` in cobrew.yaml for the server).",
  400,
);

export const RotaUserUnknownError = createError(
  'COBREW_ERR_ALERT_ROTA_USER',
  'The rota names "%s", who has no dashboard account. Pick one of the listed people, or create the account first (`cobrew user add`).',
  400,
);
