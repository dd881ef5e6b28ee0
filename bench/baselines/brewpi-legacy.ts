// Benchmark baseline: BrewPi's legacy (0.2.x) fridge controller, rebuilt from its published algorithm.
// A beer PID turns the beer error into a fridge setting; an on/off state machine with overshoot (peak)
// estimators, self-tuned after each detected fridge peak, switches the heater and the compressor.
// Facts, sources and the ambiguities we resolved: bench/baselines/README.md.

// The firmware's state numbers, named as the BrewPi driver names them (2 is DOOR_OPEN: no door switch here).
import { STATE_NAMES } from '../../firmware-bridge/drivers/brewpi/protocol.js';
import type { ControlInput, Controller, ControlOutput, ControlTarget } from '../../firmware-bridge/types.js';
import { BrewPiTempSensor } from './brewpi-filters.js';

const LOOP_MS = 1000;

// Fixed-point firmware constants, kept at the values the firmware stores (1/512 °C steps).
const STEP = 1 / 512;
const TEMP_SETTING_MIN = 1;
const TEMP_SETTING_MAX = 30;
const PID_MAX = 10;
const KP = 5;
const KI = 0.25;
const KD = -1.5;
const I_MAX_ERROR = 0.5;
const IDLE_RANGE_HIGH = 1;
const IDLE_RANGE_LOW = -1;
const HEATING_TARGET_UPPER = 154 * STEP;
const HEATING_TARGET_LOWER = -102 * STEP;
const COOLING_TARGET_UPPER = 102 * STEP;
const COOLING_TARGET_LOWER = -154 * STEP;
const MAX_HEAT_TIME_FOR_ESTIMATE_S = 600;
const MAX_COOL_TIME_FOR_ESTIMATE_S = 1200;
const DEFAULT_HEAT_ESTIMATOR = 102 * STEP;
const DEFAULT_COOL_ESTIMATOR = 5;
/** "1/2 sensor bit idle zone" around the beer setting. */
const BEER_IDLE_ZONE = 16 * STEP;
/** Beyond this distance from its setting the fridge is saturated and the integrator must not grow. */
const FRIDGE_SATURATED_C = 2;
/** A setting change larger than this restarts peak detection. */
const BEER_SETTING_RESET_C = 0.5;
/** The 16-bit range the firmware saturates each PID term and the sum to. */
const FIXED_MIN = -128;
const FIXED_MAX = 32767 * STEP;
/** Filter coefficients (b values): fridge fast/slow/slope 1/4/3, beer 3/4/4. */
const FRIDGE_FILTERS = [1, 4, 3] as const;
const BEER_FILTERS = [3, 4, 4] as const;

// Timers, seconds.
const MIN_COOL_OFF_TIME = 300;
const MIN_HEAT_OFF_TIME = 300;
const MIN_COOL_ON_TIME = 180;
const MIN_HEAT_ON_TIME = 180;
const MIN_COOL_OFF_TIME_FRIDGE_CONSTANT = 600;
const MIN_SWITCH_TIME = 600;
const COOL_PEAK_DETECT_TIME = 1800;
const HEAT_PEAK_DETECT_TIME = 900;
/**
 * The firmware's per-loop counter is compared with 60 and then post-incremented, so the integrator
 * moves on every 61st loop of the PID in a beer mode.
 */
const INTEGRATOR_PERIOD_LOOPS = 61;

const IDLE = 0;
const STATE_OFF = 1;
const HEATING = 3;
const COOLING = 4;
const WAITING_TO_COOL = 5;
const WAITING_TO_HEAT = 6;
const WAITING_FOR_PEAK_DETECT = 7;
const COOLING_MIN_TIME = 8;
const HEATING_MIN_TIME = 9;
type State =
  | typeof IDLE
  | typeof STATE_OFF
  | typeof HEATING
  | typeof COOLING
  | typeof WAITING_TO_COOL
  | typeof WAITING_TO_HEAT
  | typeof WAITING_FOR_PEAK_DETECT
  | typeof COOLING_MIN_TIME
  | typeof HEATING_MIN_TIME;

type Mode = 'b' | 'f' | 'o';

/** BrewPi's control variables (its `v` command), for logs and tests. */
export interface BrewPiControlVariables {
  beerDiff: number;
  diffIntegral: number;
  beerSlope: number;
  p: number;
  i: number;
  d: number;
  estimatedPeak: number;
  negPeakEstimate: number;
  posPeakEstimate: number;
  heatEstimator: number;
  coolEstimator: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
const fixed = (x: number) => clamp(x, FIXED_MIN, FIXED_MAX);
/** An increase never leaves an estimator under 25/512 °C/h ("at least 0.05"), so it cannot stall near 0. */
const MIN_ESTIMATOR_AFTER_INCREASE = 25 * STEP;
/** 1.2 + 1/32 per °C of error, capped at 1.5 (fixed point: (614 + min(|e|·16, 154)) / 512). */
const increased = (estimator: number, error: number) =>
  Math.max(
    fixed((estimator * (614 + Math.min(Math.floor(Math.abs(error) * 16), 154))) / 512),
    MIN_ESTIMATOR_AFTER_INCREASE,
  );
/** 0.833 − 1/32 per °C of error, floored at 0.667 (fixed point: (426 − min(|e|·16, 85)) / 512). */
const decreased = (estimator: number, error: number) =>
  fixed((estimator * (426 - Math.min(Math.floor(Math.abs(error) * 16), 85))) / 512);

export class BrewPiLegacyController implements Controller {
  readonly name = 'brewpi';
  readonly #beer = new BrewPiTempSensor(...BEER_FILTERS);
  readonly #fridge = new BrewPiTempSensor(...FRIDGE_FILTERS);
  /** The firmware's clock starts at reset; the first step is that moment. */
  #resetAt = Number.NaN;
  #lastLoopAt = Number.NaN;
  #last: ControlOutput = { request: { heat: false, cool: false }, chamberTargetC: null, state: 'idle' };

  #mode: Mode = 'o';
  /** NaN is the firmware's INVALID_TEMP: not (yet) set. */
  #beerSetting = Number.NaN;
  #fridgeSetting = Number.NaN;
  #state: State = IDLE;
  #doPosPeakDetect = false;
  #doNegPeakDetect = false;
  // Seconds since reset. Heat and cool start at 0, so nothing switches on for MIN_SWITCH_TIME after reset.
  #lastIdleTime = 0;
  #lastHeatTime = 0;
  #lastCoolTime = 0;
  #integralUpdateCounter = 0;

  #beerDiff = 0;
  #diffIntegral = 0;
  #beerSlope = 0;
  #p = 0;
  #i = 0;
  #d = 0;
  #estimatedPeak = 0;
  #negPeakEstimate = 0;
  #posPeakEstimate = 0;
  #heatEstimator = DEFAULT_HEAT_ESTIMATOR;
  #coolEstimator = DEFAULT_COOL_ESTIMATOR;

  step(input: ControlInput): ControlOutput {
    const now = input.now;
    if (Number.isNaN(this.#resetAt)) this.#resetAt = now;
    else if (now - this.#lastLoopAt < LOOP_MS) return this.#last;
    this.#lastLoopAt = now;
    const secs = Math.floor((now - this.#resetAt) / 1000);

    this.#receiveSettings(input.target);
    this.#beer.update(input.readings.beer);
    this.#fridge.update(input.readings.chamber);
    this.#detectPeaks(secs);
    this.#updatePid();
    this.#updateState(secs);

    const s = this.#state;
    this.#last = {
      request: {
        heat: s === HEATING || s === HEATING_MIN_TIME,
        cool: s === COOLING || s === COOLING_MIN_TIME,
      },
      chamberTargetC: Number.isNaN(this.#fridgeSetting) ? null : this.#fridgeSetting,
      state: STATE_NAMES[s],
    };
    return this.#last;
  }

  controlVariables(): BrewPiControlVariables {
    return {
      beerDiff: this.#beerDiff,
      diffIntegral: this.#diffIntegral,
      beerSlope: this.#beerSlope,
      p: this.#p,
      i: this.#i,
      d: this.#d,
      estimatedPeak: this.#estimatedPeak,
      negPeakEstimate: this.#negPeakEstimate,
      posPeakEstimate: this.#posPeakEstimate,
      heatEstimator: this.#heatEstimator,
      coolEstimator: this.#coolEstimator,
    };
  }

  /** What brewpi-script sends: a mode change, a new beer setting (profiles move it), a new fridge setting. */
  #receiveSettings(target: ControlTarget): void {
    const mode: Mode = target.mode === 'beer' ? 'b' : target.mode === 'chamber' ? 'f' : 'o';
    if (mode !== this.#mode) {
      this.#state = IDLE;
      this.#mode = mode;
      if (mode === 'o') {
        this.#beerSetting = Number.NaN;
        this.#fridgeSetting = Number.NaN;
      }
    }
    if (target.mode === 'beer' && target.beerC !== this.#beerSetting) {
      const jump = Math.abs(this.#beerSetting - target.beerC);
      this.#beerSetting = target.beerC;
      if (!(jump <= BEER_SETTING_RESET_C)) this.#resetPeakDetection();
    } else if (target.mode === 'chamber' && target.chamberC !== this.#fridgeSetting) {
      this.#fridgeSetting = target.chamberC;
      this.#resetPeakDetection();
    }
  }

  #resetPeakDetection(): void {
    this.#doPosPeakDetect = false;
    this.#doNegPeakDetect = false;
  }

  #isHeating(): boolean {
    return this.#state === HEATING || this.#state === HEATING_MIN_TIME;
  }

  #isCooling(): boolean {
    return this.#state === COOLING || this.#state === COOLING_MIN_TIME;
  }

  /** Tunes the overshoot estimators from the fridge's slow-filtered peak after heating or cooling stopped. */
  #detectPeaks(secs: number): void {
    const fridge = this.#fridge;
    if (this.#doPosPeakDetect && !this.#isHeating()) {
      const peak = fridge.detectPosPeak();
      let detected = false;
      if (!Number.isNaN(peak)) {
        const error = peak - this.#posPeakEstimate;
        if (error > HEATING_TARGET_UPPER) this.#heatEstimator = increased(this.#heatEstimator, error);
        if (error < HEATING_TARGET_LOWER) this.#heatEstimator = decreased(this.#heatEstimator, error);
        detected = true;
      } else if (secs - this.#lastHeatTime > HEAT_PEAK_DETECT_TIME) {
        if (fridge.fast < this.#posPeakEstimate + HEATING_TARGET_LOWER) {
          // Drifting up too slowly after a heat: overshoot was overestimated. The firmware's error is
          // computed from the invalid peak here, which always gives the largest decrease.
          this.#heatEstimator = decreased(this.#heatEstimator, Number.POSITIVE_INFINITY);
          detected = true;
        } else {
          this.#doPosPeakDetect = false;
        }
      }
      if (detected) this.#doPosPeakDetect = false;
    } else if (this.#doNegPeakDetect && !this.#isCooling()) {
      const peak = fridge.detectNegPeak();
      let detected = false;
      if (!Number.isNaN(peak)) {
        const error = peak - this.#negPeakEstimate;
        if (error < COOLING_TARGET_LOWER) this.#coolEstimator = increased(this.#coolEstimator, error);
        if (error > COOLING_TARGET_UPPER) this.#coolEstimator = decreased(this.#coolEstimator, error);
        detected = true;
      } else if (secs - this.#lastCoolTime > COOL_PEAK_DETECT_TIME) {
        if (fridge.fast > this.#negPeakEstimate + COOLING_TARGET_UPPER) {
          this.#coolEstimator = decreased(this.#coolEstimator, Number.POSITIVE_INFINITY);
          detected = true;
        } else {
          this.#doNegPeakDetect = false;
        }
      }
      if (detected) this.#doNegPeakDetect = false;
    }
  }

  /** Beer PID: fridge setting = beer setting + P + I + D, within beer setting ± PID_MAX and 1..30 °C. */
  #updatePid(): void {
    if (this.#mode === 'f') {
      this.#beerSetting = Number.NaN;
      return;
    }
    if (this.#mode !== 'b') return;
    if (Number.isNaN(this.#beerSetting) || !this.#beer.initialised || !this.#fridge.initialised) {
      this.#fridgeSetting = Number.NaN;
      return;
    }
    const beerSetting = this.#beerSetting;
    const fridgeSetting = this.#fridgeSetting;
    this.#beerDiff = beerSetting - this.#beer.slow;
    this.#beerSlope = this.#beer.slope;

    if (++this.#integralUpdateCounter === INTEGRATOR_PERIOD_LOOPS) {
      this.#integralUpdateCounter = 0;
      let update = this.#beerDiff;
      if (this.#state !== IDLE) {
        // Only in IDLE has the fridge reached its setting; a beer error left then needs integral action.
        update = 0;
      } else if (Math.abs(update) < I_MAX_ERROR) {
        const updateSign = update > 0;
        const integratorSign = this.#diffIntegral > 0;
        if (updateSign === integratorSign) {
          const fridgeFast = this.#fridge.fast;
          const saturated =
            !(fridgeSetting > TEMP_SETTING_MIN && fridgeSetting < TEMP_SETTING_MAX) ||
            fridgeSetting - beerSetting >= PID_MAX ||
            beerSetting - fridgeSetting >= PID_MAX ||
            (!updateSign && fridgeFast > fridgeSetting + FRIDGE_SATURATED_C) ||
            (updateSign && fridgeFast < fridgeSetting - FRIDGE_SATURATED_C);
          if (saturated) update = 0;
        } else {
          update *= 2;
        }
      } else {
        update = -this.#diffIntegral / 8;
      }
      this.#diffIntegral += update;
    }

    this.#p = fixed(KP * this.#beerDiff);
    this.#i = fixed(KI * this.#diffIntegral);
    this.#d = fixed(KD * this.#beerSlope);
    const unclamped = fixed(beerSetting + this.#p + this.#i + this.#d);
    const nearBeer = clamp(unclamped, beerSetting - PID_MAX, beerSetting + PID_MAX);
    this.#fridgeSetting = clamp(fixed(nearBeer), TEMP_SETTING_MIN, TEMP_SETTING_MAX);
  }

  #updateState(secs: number): void {
    let stayIdle = false;
    if (this.#mode === 'o') {
      this.#state = STATE_OFF;
      stayIdle = true;
    } else if (
      Number.isNaN(this.#fridgeSetting) ||
      !this.#fridge.connected ||
      (!this.#beer.connected && this.#mode === 'b')
    ) {
      // A lost probe: idle at once, the minimum on-time is not honoured.
      this.#state = IDLE;
      stayIdle = true;
    }

    const sinceIdle = secs - this.#lastIdleTime;
    const sinceCooling = secs - this.#lastCoolTime;
    const sinceHeating = secs - this.#lastHeatTime;
    const fridgeFast = this.#fridge.fast;
    const beerFast = this.#beer.fast;
    const fridgeConstant = this.#mode === 'f';

    switch (this.#state) {
      case IDLE:
      case STATE_OFF:
      case WAITING_TO_COOL:
      case WAITING_TO_HEAT:
      case WAITING_FOR_PEAK_DETECT: {
        this.#lastIdleTime = secs;
        if (stayIdle) break;
        let waitS = 0;
        if (fridgeFast > this.#fridgeSetting + IDLE_RANGE_HIGH) {
          waitS = Math.max(waitS, MIN_SWITCH_TIME - sinceHeating);
          if (fridgeConstant) {
            waitS = Math.max(waitS, MIN_COOL_OFF_TIME_FRIDGE_CONSTANT - sinceCooling);
          } else {
            if (beerFast < this.#beerSetting + BEER_IDLE_ZONE) {
              this.#state = IDLE;
              break;
            }
            waitS = Math.max(waitS, MIN_COOL_OFF_TIME - sinceCooling);
          }
          this.#state = waitS > 0 ? WAITING_TO_COOL : COOLING;
        } else if (fridgeFast < this.#fridgeSetting + IDLE_RANGE_LOW) {
          waitS = Math.max(waitS, MIN_SWITCH_TIME - sinceCooling, MIN_HEAT_OFF_TIME - sinceHeating);
          if (!fridgeConstant && beerFast > this.#beerSetting - BEER_IDLE_ZONE) {
            this.#state = IDLE;
            break;
          }
          this.#state = waitS > 0 ? WAITING_TO_HEAT : HEATING;
        } else {
          this.#state = IDLE;
          break;
        }
        if (
          (this.#state === HEATING || this.#state === COOLING) &&
          (this.#doNegPeakDetect || this.#doPosPeakDetect)
        ) {
          this.#state = WAITING_FOR_PEAK_DETECT;
        }
        break;
      }
      case COOLING:
      case COOLING_MIN_TIME: {
        this.#doNegPeakDetect = true;
        this.#lastCoolTime = secs;
        this.#estimatedPeak =
          fridgeFast - (this.#coolEstimator * Math.min(MAX_COOL_TIME_FOR_ESTIMATE_S, sinceIdle)) / 3600;
        this.#state = COOLING;
        if (
          this.#estimatedPeak <= this.#fridgeSetting ||
          (!fridgeConstant && beerFast < this.#beerSetting - BEER_IDLE_ZONE)
        ) {
          if (sinceIdle > MIN_COOL_ON_TIME) {
            this.#negPeakEstimate = this.#estimatedPeak;
            this.#state = IDLE;
          } else {
            this.#state = COOLING_MIN_TIME;
          }
        }
        break;
      }
      case HEATING:
      case HEATING_MIN_TIME: {
        this.#doPosPeakDetect = true;
        this.#lastHeatTime = secs;
        this.#estimatedPeak =
          fridgeFast + (this.#heatEstimator * Math.min(MAX_HEAT_TIME_FOR_ESTIMATE_S, sinceIdle)) / 3600;
        this.#state = HEATING;
        if (
          this.#estimatedPeak >= this.#fridgeSetting ||
          (!fridgeConstant && beerFast > this.#beerSetting + BEER_IDLE_ZONE)
        ) {
          if (sinceIdle > MIN_HEAT_ON_TIME) {
            this.#posPeakEstimate = this.#estimatedPeak;
            this.#state = IDLE;
          } else {
            this.#state = HEATING_MIN_TIME;
          }
        }
        break;
      }
    }
  }
}
