// BrewPi legacy (0.2.x) temperature filtering. Every probe feeds a fast and a slow filter; the slow output,
// differenced every 3 samples, feeds a slope filter that reads in °C per hour. Each filter is three cascaded
// second-order low-pass sections. The arithmetic is the firmware's own: 32-bit integers in 2^-25 °C with
// arithmetic right shifts. A floating-point version limit-cycles at the last bit on a flat input, which
// the peak detector would take for fridge peaks.

/** Filter state unit: the firmware's fixed7_25 "double precision" temperature (int32, ±64 °C). */
export const UNITS_PER_C = 2 ** 25;
/** fixed7_25 → fixed7_9, the precision the firmware reads filter outputs in. */
const SINGLE_SHIFT = 16;
const STEPS_PER_C = 512;
/** fixed7_9 is a 16-bit integer. */
const FIXED7_9_MIN = -32768;
const FIXED7_9_MAX = 32767;

/** A fixed7_25 value as the °C the firmware reads from it (truncated to 1/512 °C). */
export const toCelsius = (units: number) => (units >> SINGLE_SHIFT) / STEPS_PER_C;

/** "No peak", the firmware's INVALID_TEMP. */
export const NO_PEAK = Number.NaN;

/**
 * One second-order low-pass section with a double real pole and a DC gain of exactly 1:
 * H(z) = 2^-a (1 + 2z^-1 + z^-2) / (1 + (2^-b - 2) z^-1 + (1 - 2^-b + 4·2^-a) z^-2), with a = 2b + 4.
 * Step response reaches one half after 3, 6, 13, 26, 53 samples for b = 0..4. Values in UNITS_PER_C.
 */
export class FilterSection {
  readonly #b: number;
  readonly #a: number;
  #x0 = 0;
  #x1 = 0;
  #x2 = 0;
  y0 = 0;
  y1 = 0;
  y2 = 0;

  constructor(b: number) {
    this.#b = b;
    this.#a = 2 * b + 4;
  }

  init(units: number): void {
    this.#x0 = this.#x1 = this.#x2 = units;
    this.y0 = this.y1 = this.y2 = units;
  }

  add(units: number): number {
    this.#x2 = this.#x1;
    this.#x1 = this.#x0;
    this.#x0 = units;
    this.y2 = this.y1;
    this.y1 = this.y0;
    const y1 = this.y1;
    const y2 = this.y2;
    const a = this.#a;
    const b = this.#b;
    this.y0 =
      (y1 -
        y2 +
        y1 -
        (y1 >> b) +
        (y2 >> b) +
        (this.#x0 >> a) +
        (this.#x1 >> (a - 1)) +
        (this.#x2 >> a) -
        (y2 >> (a - 2))) |
      0;
    return this.y0;
  }
}

/** Three sections in series (NUM_SECTIONS = 3 in the firmware); peaks are read on the last section. */
export class CascadedFilter {
  readonly #s0: FilterSection;
  readonly #s1: FilterSection;
  readonly #s2: FilterSection;

  constructor(b: number) {
    this.#s0 = new FilterSection(b);
    this.#s1 = new FilterSection(b);
    this.#s2 = new FilterSection(b);
  }

  init(units: number): void {
    this.#s0.init(units);
    this.#s1.init(units);
    this.#s2.init(units);
  }

  add(units: number): number {
    return this.#s2.add(this.#s1.add(this.#s0.add(units)));
  }

  get output(): number {
    return this.#s2.y0;
  }

  /** The previous output when it was a local maximum (the output has just turned down), else NO_PEAK. */
  detectPosPeak(): number {
    const s = this.#s2;
    return s.y0 < s.y1 && s.y1 >= s.y2 ? s.y1 : NO_PEAK;
  }

  /** The previous output when it was a local minimum (the output has just turned up), else NO_PEAK. */
  detectNegPeak(): number {
    const s = this.#s2;
    return s.y0 > s.y1 && s.y1 <= s.y2 ? s.y1 : NO_PEAK;
  }
}

/** The slope filter is fed every SLOPE_SAMPLES updates with 3600/SLOPE_SAMPLES × the slow output's change. */
const SLOPE_SAMPLES = 3;
const SLOPE_GAIN = 3600 / SLOPE_SAMPLES;
/** The first slope sample is taken after 255 updates, so the start-up transient does not enter it. */
const SLOPE_FIRST_COUNT = 255;
const SLOPE_SNAPSHOT_COUNT = 4;
/** The firmware caps the 3-sample change at 27/512 °C so that the slope fits its 16-bit format. */
const SLOPE_DIFF_LIMIT = 27;
/** After more than this many failed reads in the sensor's life, a reconnect restarts the filters. */
const REINIT_AFTER_FAILED_READS = 60;
const FAILED_READS_CAP = 127;

/** One probe as BrewPi's TempSensor sees it: the filters, and whether the probe answered this loop. */
export class BrewPiTempSensor {
  readonly #fast: CascadedFilter;
  readonly #slow: CascadedFilter;
  readonly #slope: CascadedFilter;
  #updateCounter = SLOPE_FIRST_COUNT;
  #prevSlowForSlope = 0;
  /** −1 until the filters were first initialised; not reset by a good read, as in the firmware. */
  #failedReads = -1;
  #connected = false;

  constructor(fastB: number, slowB: number, slopeB: number) {
    this.#fast = new CascadedFilter(fastB);
    this.#slow = new CascadedFilter(slowB);
    this.#slope = new CascadedFilter(slopeB);
  }

  /** One loop's reading in °C; null when the probe is not to be trusted (the firmware's lost sensor). */
  update(readingC: number | null): void {
    if (readingC === null || !Number.isFinite(readingC)) {
      this.#connected = false;
      if (this.#failedReads >= 0) this.#failedReads = Math.min(this.#failedReads + 1, FAILED_READS_CAP);
      return;
    }
    // The firmware holds readings in 16-bit 1/512 °C before widening them to the filters' precision.
    const units =
      Math.min(Math.max(Math.round(readingC * STEPS_PER_C), FIXED7_9_MIN), FIXED7_9_MAX) << SINGLE_SHIFT;
    if (!this.#connected) {
      if (this.#failedReads < 0 || this.#failedReads > REINIT_AFTER_FAILED_READS) {
        this.#fast.init(units);
        this.#slow.init(units);
        this.#slope.init(0);
        this.#prevSlowForSlope = this.#slow.output;
        this.#failedReads = 0;
      }
      this.#connected = true;
    }
    this.#fast.add(units);
    this.#slow.add(units);
    this.#updateCounter--;
    if (this.#updateCounter === SLOPE_SNAPSHOT_COUNT) this.#prevSlowForSlope = this.#slow.output;
    if (this.#updateCounter === 0) {
      const slow = this.#slow.output;
      let diff = slow - this.#prevSlowForSlope;
      const upper = diff >> SINGLE_SHIFT;
      if (upper > SLOPE_DIFF_LIMIT) diff = SLOPE_DIFF_LIMIT << SINGLE_SHIFT;
      else if (upper < -SLOPE_DIFF_LIMIT) diff = -SLOPE_DIFF_LIMIT << SINGLE_SHIFT;
      this.#slope.add(SLOPE_GAIN * diff);
      this.#prevSlowForSlope = slow;
      this.#updateCounter = SLOPE_SAMPLES;
    }
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Whether the filters hold a value at all (the probe has answered at least once). */
  get initialised(): boolean {
    return this.#failedReads >= 0;
  }

  /** °C. */
  get fast(): number {
    return toCelsius(this.#fast.output);
  }

  /** °C. */
  get slow(): number {
    return toCelsius(this.#slow.output);
  }

  /** °C per hour. */
  get slope(): number {
    return toCelsius(this.#slope.output);
  }

  /** °C, or NO_PEAK. */
  detectPosPeak(): number {
    const p = this.#slow.detectPosPeak();
    return Number.isNaN(p) ? NO_PEAK : toCelsius(p);
  }

  /** °C, or NO_PEAK. */
  detectNegPeak(): number {
    const p = this.#slow.detectNegPeak();
    return Number.isNaN(p) ? NO_PEAK : toCelsius(p);
  }
}
