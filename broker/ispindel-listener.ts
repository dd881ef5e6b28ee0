// iSpindel readings to their fermenters: the MQTT listener on ispindel/+/+ and, for the HTTP route, the
// mapping from an iSpindel's name to the fermenter it floats in (`ispindels:` in cobrew.yaml).
import createError from '@fastify/error';
import type { IClientOptions } from 'mqtt';
import { sameSecret } from '../common/same-secret.js';
import { connected, createClient } from './client.js';
import {
  IspindelAssembler,
  type IspindelReading,
  IspindelValueError,
  parseIspindelTopic,
  readingFromHttp,
} from './ispindel.js';
import { IspindelAuthError, IspindelTokenError } from './ispindel-errors.js';
import { DeviceGravity, type GravitySettings } from './ispindel-gravity.js';
import { type BrokerLog, silentLog } from './log.js';

/** What a reading needs from a fermenter; the fleet's FermenterHandle is one. */
export interface HydrometerTarget {
  readonly id: string;
  reportHydrometer(reading: { gravity: number; at: number; batteryV?: number }): void;
}

export const IspindelUnmappedError = createError<'COBREW_ERR_ISPINDEL_UNMAPPED', [string, string]>(
  'COBREW_ERR_ISPINDEL_UNMAPPED',
  'iSpindel "%s" is not mapped to a fermenter, so its reading was ignored. Add it under `ispindels:` in ' +
    'cobrew.yaml, e.g. `ispindels: [{ name: %s, fermenter: <fermenter id> }]`, and restart cobrew.',
  404,
);

export interface IspindelMapping extends GravitySettings {
  readonly name: string;
  readonly fermenter: string;
  /** The token its HTTP posts must carry; without one, posts are trusted (the LAN is). */
  readonly token?: string;
}

/** What a delivered reading became. */
export interface Delivered {
  fermenter: string;
  /** The specific gravity handed to the fermenter, or null when the reading carried none. */
  gravity: number | null;
}

/** Hands readings to the mapped fermenters; an unmapped name is logged once and ignored. */
export class IspindelRouter {
  readonly #targets = new Map<string, HydrometerTarget>();
  readonly #devices = new Map<string, DeviceGravity>();
  readonly #tokens = new Map<string, string>();
  readonly #unmappedSeen = new Set<string>();
  readonly #mappings = new Map<string, IspindelMapping>();
  /** Calibrations set from the dashboard, in place of cobrew.yaml's. */
  readonly #calibrated = new Map<
    string,
    { points: readonly { angle: number; gravity: number }[]; degree: number }
  >();

  constructor(
    mappings: readonly IspindelMapping[],
    fermenters: readonly HydrometerTarget[],
    private readonly log: BrokerLog = silentLog,
  ) {
    const byId = new Map(fermenters.map((f) => [f.id, f]));
    for (const m of mappings) {
      const target = byId.get(m.fermenter);
      // The configuration check refuses unknown fermenters; this guards callers that skip it.
      if (target === undefined) throw new Error(`iSpindel ${m.name}: no fermenter "${m.fermenter}"`);
      this.#targets.set(m.name, target);
      this.#mappings.set(m.name, m);
      this.#devices.set(m.name, new DeviceGravity(m.name, m));
      if (m.token !== undefined) this.#tokens.set(m.name, m.token);
    }
  }

  /** The iSpindels it maps, with the calibration in force and whether the dashboard set it. */
  devices(): Array<{
    name: string;
    fermenter: string;
    unit?: string;
    calibration?: { points: readonly { angle: number; gravity: number }[]; degree: number };
    source: 'config' | 'dashboard';
  }> {
    return [...this.#mappings.values()].map((m) => {
      const set = this.#calibrated.get(m.name);
      const cal =
        set ?? (m.calibration && { points: m.calibration.points, degree: m.calibration.degree ?? 2 });
      return {
        name: m.name,
        fermenter: m.fermenter,
        ...(m.unit === undefined ? {} : { unit: m.unit }),
        ...(cal === undefined ? {} : { calibration: cal }),
        source: set === undefined ? 'config' : 'dashboard',
      };
    });
  }

  /**
   * Takes the iSpindel's gravity from this calibration from its next reading on, in place of cobrew.yaml's;
   * null goes back to cobrew.yaml's. Throws IspindelUnmappedError for a name it does not map.
   */
  calibrate(
    name: string,
    calibration: { points: readonly { angle: number; gravity: number }[]; degree: number } | null,
  ): void {
    const m = this.#mappings.get(name);
    if (m === undefined) throw new IspindelUnmappedError(name, name);
    if (calibration === null) this.#calibrated.delete(name);
    else this.#calibrated.set(name, calibration);
    this.#devices.set(name, new DeviceGravity(name, calibration === null ? m : { ...m, calibration }));
  }

  /**
   * An HTTP post: checked (COBREW_ERR_INVALID), its token compared in constant time when the iSpindel has
   * one (COBREW_ERR_ISPINDEL_TOKEN), then delivered. Side values out of range come back in `dropped`.
   */
  acceptHttp(body: unknown, at: number, signedIn: boolean): Delivered & { dropped: string[] } {
    const { token, ...reading } = readingFromHttp(body, at);
    const expected = this.#tokens.get(reading.name);
    // A reading can end a profile step: it needs the iSpindel's own token where one is set, and otherwise a
    // logged-in brewer's session.
    if (expected !== undefined && !sameSecret(token ?? '', expected)) {
      throw new IspindelTokenError(reading.name);
    }
    if (expected === undefined && !signedIn) throw new IspindelAuthError();
    for (const d of reading.dropped ?? []) {
      this.log.warn({ ispindel: reading.name, via: 'http' }, `iSpindel "${reading.name}": ${d}`);
    }
    return { ...this.deliver(reading, 'http'), dropped: reading.dropped ?? [] };
  }

  /**
   * Turns the reading into a specific gravity with its device's settings and passes it (and the battery,
   * when known) to its fermenter; throws IspindelUnmappedError for a name nobody mapped and
   * IspindelValueError for a gravity that cannot be used. A reading without gravity changes nothing.
   */
  deliver(reading: IspindelReading, via: 'mqtt' | 'http'): Delivered {
    const target = this.#targets.get(reading.name);
    if (target === undefined) {
      const err = new IspindelUnmappedError(reading.name, reading.name);
      if (!this.#unmappedSeen.has(reading.name)) {
        this.#unmappedSeen.add(reading.name);
        this.log.warn({ ispindel: reading.name, via }, err.message);
      }
      throw err;
    }
    const device = this.#devices.get(reading.name) as DeviceGravity;
    const gravity = device.gravity(reading);
    if (gravity !== undefined) {
      target.reportHydrometer({
        gravity,
        at: reading.at,
        ...(reading.battery === undefined ? {} : { batteryV: reading.battery }),
      });
      this.log.debug(
        {
          ispindel: reading.name,
          fermenter: target.id,
          gravity,
          batteryV: reading.battery,
          via,
        },
        'hydrometer reading',
      );
    }
    return { fermenter: target.id, gravity: gravity ?? null };
  }
}

export interface IspindelListenerOptions {
  url: string;
  router: IspindelRouter;
  /** The time a reading is stamped with, on the fermenters' clock. */
  now: () => number;
  log?: BrokerLog;
  /** Passed to mqtt.js: an account that may read ispindel/#. */
  clientOptions?: IClientOptions;
}

export interface IspindelListener {
  stop(): Promise<void>;
}

export const ISPINDEL_FILTER = 'ispindel/+/+';

/**
 * Subscribes to iSpindels' one-value-per-topic output. A cycle sends battery before gravity, so each
 * gravity message carries the cycle's battery to the fermenter; other values are only checked and kept.
 */
export async function startIspindelListener(opts: IspindelListenerOptions): Promise<IspindelListener> {
  const log = opts.log ?? silentLog;
  const assembler = new IspindelAssembler();
  const client = createClient(opts.url, 'isp', { ...opts.clientOptions });
  client.on('message', (topic, payload, packet) => {
    const parsed = parseIspindelTopic(topic);
    if (parsed === null) return;
    // A retained value is an old one: it would be stamped with the time it arrives.
    if (packet.retain) {
      log.debug({ topic }, 'ignored a retained iSpindel value');
      return;
    }
    const text = payload.toString('utf8');
    let reading: IspindelReading;
    try {
      reading = assembler.accept(parsed.name, parsed.key, text, opts.now());
    } catch (err) {
      if (!(err instanceof IspindelValueError)) throw err;
      log.warn({ ispindel: parsed.name, topic, reason: err.message }, 'refused an iSpindel value');
      return;
    }
    if (parsed.key !== 'gravity') return;
    try {
      opts.router.deliver(reading, 'mqtt');
    } catch (err) {
      if (err instanceof IspindelValueError) {
        log.warn({ ispindel: parsed.name, topic, reason: err.message }, 'refused an iSpindel value');
      } else if (!(err instanceof IspindelUnmappedError)) throw err;
    }
  });
  client.on('error', (err) => log.warn({ err, url: opts.url }, 'iSpindel listener: MQTT error'));
  await connected(client);
  // mqtt.js renews this subscription by itself after a reconnect.
  const granted = await client.subscribeAsync(ISPINDEL_FILTER, { qos: 0 });
  if (granted.some((g) => g.qos === 128)) {
    log.warn(
      { filter: ISPINDEL_FILTER, url: opts.url },
      "the broker refused the iSpindel subscription: readings over MQTT will not arrive; let cobrew's account read ispindel/# (docs/mqtt.md)",
    );
  }
  return { stop: () => client.endAsync() };
}
