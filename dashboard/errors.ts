import createError from '@fastify/error';

/** The configuration cannot be used; nothing was started. The message lists every problem. */
export const ConfigInvalidError = createError('COBREW_ERR_CONFIG_INVALID', '%s');

export const HttpPortInUseError = createError(
  'COBREW_ERR_HTTP_PORT_IN_USE',
  'HTTP port %s on %s is already in use. Pass --http-port <n> or set COBREW_HTTP_PORT to use another port.',
);

export const MqttBrokerUnreachableError = createError(
  'COBREW_ERR_MQTT_BROKER_UNREACHABLE',
  'Cannot use the MQTT broker at %s (%s). Check mqtt.url, mqtt.username and mqtt.password in cobrew.yaml, ' +
    "that the broker is running, and that its ACL gives cobrew's account what docs/mqtt.md lists.",
);

export const PasswordMismatchError = createError(
  'COBREW_ERR_PASSWORD_MISMATCH',
  'The two passwords differ; run the command again and type the same password twice',
);
