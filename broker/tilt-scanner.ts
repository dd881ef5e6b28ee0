// Tilts heard directly over Bluetooth LE (a Raspberry Pi's adapter) through @stoprocent/noble, an optional
// dependency loaded only here, and only when cobrew.yaml asks for scanning: without Tilts, or without
// scanning, its native bindings are never touched. The adapter may come up late or never: cobrew starts
// anyway, scans once it is powered on, and says so when it cannot.
import type { BrokerLog } from './log.js';
import { decodeTiltAdvertisement, type TiltRouter, TiltUnmappedError, TiltValueError } from './tilt.js';

/** What cobrew uses of noble; tests give a stand-in for the adapter. */
export interface BleScanner {
  readonly state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (p: { advertisement: { manufacturerData?: Buffer } }) => void): unknown;
  startScanningAsync(serviceUUIDs?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

/** A Tilt advertises every few seconds; one reading per colour this often is plenty for a fermentation. */
export const TILT_READING_EVERY_MS = 15_000;

export interface TiltScanning {
  stop(): Promise<void>;
}

export async function startTiltScanner(opts: {
  router: TiltRouter;
  /** The fermenters' clock, for the readings' time. */
  now: () => number;
  log: BrokerLog;
  scanner?: BleScanner;
}): Promise<TiltScanning> {
  const { log } = opts;
  let ble: BleScanner;
  try {
    ble = opts.scanner ?? ((await import('@stoprocent/noble')).default as unknown as BleScanner);
  } catch (err) {
    log.warn(
      { err: (err as Error).message },
      'Bluetooth scanning for Tilts is unavailable (@stoprocent/noble could not load); TiltBridge posts to /api/tilt still work',
    );
    return { stop: async () => {} };
  }
  const last = new Map<string, number>();
  ble.on('discover', (p) => {
    const data = p.advertisement.manufacturerData;
    const reading = data === undefined ? null : decodeTiltAdvertisement(data);
    if (reading === null) return;
    const at = opts.now();
    if (at - (last.get(reading.colour) ?? Number.NEGATIVE_INFINITY) < TILT_READING_EVERY_MS) return;
    last.set(reading.colour, at);
    try {
      opts.router.deliver(reading, at, 'ble');
    } catch (err) {
      if (err instanceof TiltUnmappedError) return;
      if (err instanceof TiltValueError)
        log.warn({ tilt: reading.colour, reason: err.message }, 'refused a Tilt reading');
      else throw err;
    }
  });
  const scan = (state: string) => {
    if (state === 'poweredOn') {
      ble.startScanningAsync([], true).then(
        () => log.info({}, 'scanning Bluetooth for Tilts'),
        (err: Error) => log.warn({ err: err.message }, 'could not start scanning Bluetooth for Tilts'),
      );
    } else if (state === 'unsupported' || state === 'unauthorized') {
      log.warn({ state }, 'Bluetooth cannot scan for Tilts here; TiltBridge posts to /api/tilt still work');
    }
  };
  ble.on('stateChange', scan);
  scan(ble.state);
  return { stop: () => ble.stopScanningAsync().catch(() => undefined) };
}
