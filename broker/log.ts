/** The slice of a pino-style logger the broker code writes to; the dashboard's logger fits it. */
export interface BrokerLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: BrokerLog = { debug() {}, info() {}, warn() {}, error() {} };
