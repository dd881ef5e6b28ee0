import createError from '@fastify/error';

/** The configuration cannot be used; nothing was started. The message lists every problem. */
export const ConfigInvalidError = createError('COBREW_ERR_CONFIG_INVALID', '%s');

export const MqttBrokerUnreachableError = createError(
  'COBREW_ERR_MQTT_BROKER_UNREACHABLE',
  'Cannot use the MQTT broker at %s (%s). Check mqtt.url, mqtt.username and mqtt.password in cobrew.yaml, ' +
    "that the broker is running, and that its ACL gives cobrew's account what docs/mqtt.md lists.",
);
