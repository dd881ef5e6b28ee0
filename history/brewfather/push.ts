// Each listed fermenter's latest reading to Brewfather's Custom Stream (its documented JSON: name, temp,
// temp_unit, gravity, gravity_unit, comment), one post per device per interval at most. The stream has no
// timestamp field, so a backlog cannot be replayed: what waits is the newest reading of each fermenter,
// kept in <data dir>/brewfather-pending.json (written whole, then renamed) so that a restart sends it,
// and retried after a failure, waiting twice as long each time, never sooner than the interval allows.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { BrewfatherSettings } from './config-schema.js';

export const PENDING_FILE_NAME = 'brewfather-pending.json';

/** What is pushed of a fermenter's state. */
export interface PushedReading {
  at: number;
  beerC: number | null;
  gravity: number | null;
}

interface Device {
  pending?: PushedReading;
  /** No post before this (the interval, or a retry's wait). */
  notBefore: number;
  failures: number;
}

export interface PushLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Brewfather's Custom Stream body for one reading. */
export function streamBody(fermenter: string, r: PushedReading): Record<string, unknown> {
  return {
    name: fermenter,
    ...(r.beerC === null ? {} : { temp: Number(r.beerC.toFixed(2)), temp_unit: 'C' }),
    ...(r.gravity === null ? {} : { gravity: Number(r.gravity.toFixed(4)), gravity_unit: 'G' }),
    comment: `cobrew ${new Date(r.at).toISOString()}`,
  };
}

export class BrewfatherPush {
  readonly #devices = new Map<string, Device>();
  readonly #file: string;
  #busy = false;

  constructor(
    private readonly settings: BrewfatherSettings,
    dataDir: string,
    private readonly clock: Clock,
    private readonly log: PushLog,
    private readonly post: typeof fetch = fetch,
  ) {
    this.#file = join(dataDir, PENDING_FILE_NAME);
    const saved = readPending(this.#file);
    for (const id of settings.fermenters) {
      const pending = saved[id];
      this.#devices.set(id, { notBefore: 0, failures: 0, ...(pending === undefined ? {} : { pending }) });
    }
  }

  /** A new state of a fermenter; it replaces any reading of that fermenter still waiting. */
  offer(fermenter: string, r: PushedReading): void {
    const d = this.#devices.get(fermenter);
    if (d === undefined || (r.beerC === null && r.gravity === null)) return;
    d.pending = r;
  }

  /** Readings waiting, by fermenter. */
  pending(): Record<string, PushedReading> {
    const out: Record<string, PushedReading> = {};
    for (const [id, d] of this.#devices) if (d.pending !== undefined) out[id] = d.pending;
    return out;
  }

  /** Sends what is due, one post per device at most; called on a timer, and by tests. */
  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (const [id, d] of this.#devices) {
        const r = d.pending;
        if (r === undefined || this.clock.now() < d.notBefore) continue;
        await this.#send(id, d, r);
      }
    } finally {
      this.save();
      this.#busy = false;
    }
  }

  async #send(id: string, d: Device, r: PushedReading): Promise<void> {
    const intervalMs = this.settings.intervalS * 1000;
    let outcome: 'sent' | 'retry' | 'refused';
    let reason = '';
    try {
      const res = await this.post(this.settings.streamUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(streamBody(id, r)),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      reason = `HTTP ${res.status}`;
      outcome = res.ok ? 'sent' : res.status === 429 || res.status >= 500 ? 'retry' : 'refused';
    } catch (err) {
      reason = (err as Error).message;
      outcome = 'retry';
    }
    const now = this.clock.now();
    if (outcome === 'retry') {
      d.failures += 1;
      const wait = Math.min(this.settings.retryMinS * 1000 * 2 ** (d.failures - 1), intervalMs);
      d.notBefore = now + wait;
      this.log.warn(
        { fermenter: id, reason, retryInS: wait / 1000 },
        'Brewfather post failed; kept for a retry',
      );
      return;
    }
    // Sent, or refused for good (a wrong stream id…): either way this reading is done.
    if (d.pending === r) delete d.pending;
    d.failures = 0;
    d.notBefore = now + intervalMs;
    if (outcome === 'refused') {
      this.log.warn({ fermenter: id, reason }, 'Brewfather refused the post; check brewfather.streamUrl');
    }
  }

  /** Writes the waiting readings whole, then renames: a crash leaves the old file or the new one. */
  save(): void {
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.pending()));
    renameSync(tmp, this.#file);
  }
}

function readPending(file: string): Record<string, PushedReading> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const value = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  const out: Record<string, PushedReading> = {};
  for (const [id, r] of Object.entries(parsed as Record<string, Partial<PushedReading>>)) {
    if (typeof r?.at === 'number' && Number.isFinite(r.at) && value(r.beerC) && value(r.gravity)) {
      out[id] = { at: r.at, beerC: r.beerC as number | null, gravity: r.gravity as number | null };
    }
  }
  return out;
}
