import createError from '@fastify/error';

export const MqttPortInUseError = createError(
  'COBREW_ERR_MQTT_PORT_IN_USE',
  'MQTT port %s on %s is already in use (another cobrew, or a broker such as Mosquitto?). ' +
    'Pass --mqtt-port <n> or set COBREW_MQTT_PORT to use another port, ' +
    'or point mqtt.url at an external broker instead of starting the embedded one.',
);

export const MosquittoStartError = createError<
  'COBREW_ERR_MOSQUITTO_START',
  [string, string, number, string]
>(
  'COBREW_ERR_MOSQUITTO_START',
  'Mosquitto (%s) did not start on %s:%s: %s. Install it (apt-get install mosquitto), check ' +
    'mqtt.mosquitto.binary, and that mqtt.port and mqtt.wsPort are free.',
);

export const CalibrationInvalidError = createError(
  'COBREW_ERR_CALIBRATION_INVALID',
  'The hydrometer calibration cannot be used: %s.',
  400,
);

export const BacklogOpenError = createError(
  'COBREW_ERR_BRIDGE_BACKLOG_OPEN',
  'The bridge backlog %s cannot be opened: %s. It keeps the states published while the broker is away; ' +
    'fix its permissions or free disk space, or move the file away (the readings it holds are then lost).',
);

export const BacklogFullError = createError(
  'COBREW_ERR_BRIDGE_BACKLOG_FULL',
  'The bridge backlog is full (%s readings, %s bytes) while the broker is away: its oldest readings are ' +
    'being dropped, and the hub history will have a gap there. Bring the broker back; mqtt.backlog sets the bounds.',
);

export const MqttUrlSchemeError = createError(
  'COBREW_ERR_MQTT_URL_SCHEME',
  'Cannot connect to the MQTT broker at %s: cobrew speaks mqtt://, mqtts://, ws:// and wss://. ' +
    'Give a URL starting with one of them, e.g. mqtts://broker.lan:8883.',
);
