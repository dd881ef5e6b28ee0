import createError from '@fastify/error';

export const MqttUserNameInvalidError = createError(
  'COBREW_ERR_MQTT_USER_NAME_INVALID',
  'MQTT user name %s is not allowed: use 1 to 64 letters, digits, ".", "_" or "-", not starting with "." ' +
    'or "-" (the name appears in topics such as ispindel/<name>/…).',
);

export const MqttRoleUnknownError = createError(
  'COBREW_ERR_MQTT_ROLE_UNKNOWN',
  'MQTT role %s does not exist; use one of %s.',
);

export const MqttUserExistsError = createError(
  'COBREW_ERR_MQTT_USER_EXISTS',
  'MQTT user %s already exists in %s. Remove it first with `cobrew mqtt-user remove %s` to replace it.',
);

export const MqttUserNotFoundError = createError(
  'COBREW_ERR_MQTT_USER_NOT_FOUND',
  'There is no MQTT user %s in %s; `cobrew mqtt-user list` shows who there is.',
);

export const MqttPasswordEmptyError = createError(
  'COBREW_ERR_MQTT_PASSWORD_EMPTY',
  'The password of MQTT user %s is empty; give one with --password <pw>.',
);

export const MqttPasswordTooShortError = createError(
  'COBREW_ERR_MQTT_PASSWORD_TOO_SHORT',
  'The password of MQTT user %s is too short: use at least %s characters, as for the dashboard (a phrase of ' +
    'a few words is easy to type and hard to guess).',
);

export const MqttFermentersInvalidError = createError('COBREW_ERR_MQTT_USER_FERMENTERS', '%s');

export const MqttUsersFileInvalidError = createError(
  'COBREW_ERR_MQTT_USERS_FILE_INVALID',
  '%s cannot be used: %s. Fix it or move it away; `cobrew mqtt-user add` then starts a new one.',
);

/** A user cobrew needs for one of its own components exists with another role. */
export const MqttComponentUserConflictError = createError('COBREW_ERR_MQTT_USER_CONFLICT', '%s');

export function componentUserConflict(name: string, file: string, role: string, purpose: string) {
  return new MqttComponentUserConflictError(
    `MQTT user ${name} in ${file} has the role ${role}, but cobrew needs that name for its ${purpose}. ` +
      `Remove it with \`cobrew mqtt-user remove ${name}\`, or run this cobrew under another bridge name.`,
  );
}
