// Per-probe plausibility of raw DS18B20 samples: driver error values, configured range, rate of change
// and freshness. One implausible sample makes the probe untrusted at once; a trip needs `faultSamples`
// of them (a leaky count: every sane sample takes one back), so a single bus glitch does not stop a
// fermentation while a probe that is bad more often than good still trips.
import type { SensorSample } from '../../types.js';

/** What the usual OneWire driver reports for a probe that did not answer. */
export const DISCONNECTED_C = -127;
/** The DS18B20 scratchpad's power-on value: the probe browned out and lost its conversion. */
export const POWER_ON_C = 85;

export type SampleFault = 'disconnected' | 'power-on' | 'range' | 'jump';

export interface PlausibilityLimits {
  minC: number;
  maxC: number;
  /** Fastest believable change, °C per ms. */
  maxRatePerMs: number;
  /** Noise allowance on top of the rate between two samples, °C. */
  marginC: number;
  staleMs: number;
  faultSamples: number;
}

export class ProbeMonitor {
  /** The latest raw sample's value; NaN before the first. */
  raw = Number.NaN;
  /** When the latest sample was taken; the monitor's start until one arrives, so a silent probe goes stale. */
  sampleAt: number;
  /** Whether any sample has ever arrived. */
  seen = false;
  /** What is wrong with the latest sample, null when it is plausible. */
  fault: SampleFault | null = null;
  /** Leaky count of implausible samples, 0…faultSamples. */
  count = 0;
  /** The latest plausible value and when it was taken: the reference the rate is judged against. */
  value = Number.NaN;
  valueAt = Number.NEGATIVE_INFINITY;
  /** Start of the current unbroken run of plausible, fresh samples; NaN while not sane. */
  saneSince = Number.NaN;

  constructor(
    readonly limits: PlausibilityLimits,
    startAt: number,
  ) {
    this.sampleAt = startAt;
  }

  /** Take this tick's sample. A null sample or one already seen is no news: the latest stays in force. */
  update(sample: SensorSample | null): void {
    if (sample === null || (this.seen && sample.at <= this.sampleAt)) return;
    const gap = sample.at - this.sampleAt;
    this.seen = true;
    this.sampleAt = sample.at;
    this.raw = sample.value;
    this.fault = this.#classify(sample.value, sample.at);
    if (this.fault === null) {
      this.value = sample.value;
      this.valueAt = sample.at;
      if (this.count > 0) this.count--;
      if (Number.isNaN(this.saneSince) || gap > this.limits.staleMs) this.saneSince = sample.at;
    } else {
      if (this.count < this.limits.faultSamples) this.count++;
      this.saneSince = Number.NaN;
    }
  }

  stale(now: number): boolean {
    return now - this.sampleAt > this.limits.staleMs;
  }

  /** Enough implausible samples to trip (beer, chamber) or alarm (room). */
  confirmed(): boolean {
    return this.count >= this.limits.faultSamples;
  }

  trusted(now: number): boolean {
    return this.seen && this.fault === null && !this.stale(now);
  }

  /** The value to act on now, NaN when the probe is not to be trusted. */
  reading(now: number): number {
    return this.trusted(now) ? this.value : Number.NaN;
  }

  /** Plausible and fresh without a break for at least `ms`. */
  saneFor(now: number, ms: number): boolean {
    return this.trusted(now) && now - this.saneSince >= ms;
  }

  /**
   * The latest sample is a temperature reached at a believable rate from the last plausible one, even if
   * it is out of range: a real overheating, not a glitch.
   */
  believable(): boolean {
    if (this.fault === 'disconnected' || this.fault === 'power-on' || !Number.isFinite(this.raw))
      return false;
    return Number.isNaN(this.value) || !this.#jumped(this.raw, this.sampleAt);
  }

  /** A person cleared the trip after looking at the probe: start counting afresh. */
  forgive(): void {
    this.count = 0;
  }

  #classify(v: number, at: number): SampleFault | null {
    if (v === DISCONNECTED_C) return 'disconnected';
    if (v === POWER_ON_C) return 'power-on';
    if (!Number.isFinite(v) || v < this.limits.minC || v > this.limits.maxC) return 'range';
    if (!Number.isNaN(this.value) && this.#jumped(v, at)) return 'jump';
    return null;
  }

  #jumped(v: number, at: number): boolean {
    const allowed = this.limits.maxRatePerMs * (at - this.valueAt) + this.limits.marginC;
    return Math.abs(v - this.value) > allowed;
  }
}
