// The one list of configuration keys that hold secrets, and the one redaction every printed or journalled
// copy of the configuration goes through (config check, the journal, support reports).

/** Keys whose values are secrets wherever they stand: mqtt.password, influx.token, brewfather.streamUrl (its id),
 * alerts' Telegram botToken, … */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'token', 'streamUrl', 'botToken']);

const MASK = '********';

/** A deep copy with every secret that is set masked. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEYS.has(k) && v !== undefined ? MASK : withoutSecrets(v),
    ]),
  ) as T;
}
