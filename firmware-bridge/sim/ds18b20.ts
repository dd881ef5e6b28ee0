// Three DS18B20 probes: thermal lag, back-to-back 750 ms conversions, Gaussian noise and 12-bit steps.
import type { Probe } from '../types.js';

export const CONVERSION_MS = 750;
/** What the usual OneWire driver reports for a probe that did not answer. */
export const DISCONNECTED_C = -127;
/** The scratchpad's power-on value, read when a probe browned out and lost its conversion. */
export const POWER_ON_C = 85;

/** Probe time constants, s: a thermowell slows the beer probe; a bare probe in moving air is quick. */
const TAU_S: Record<Probe, number> = { beer: 60, chamber: 20, ambient: 60 };

/**
 * 12-bit conversion to sixteenths of a degree, within the chip's -55…125 °C. Rounded to the nearest step:
 * the model is a calibrated probe (a real probe's offset of up to ±0.5 °C is calibrated away with
 * `sensors.<probe>.offsetC`), so the only error left is the step itself and the noise, both unbiased.
 */
export function quantize12(c: number): number {
  const x = Math.max(-55, Math.min(c, 125));
  // + 0 turns the -0 of a small negative reading into 0.
  return Math.round(x * 16) / 16 + 0;
}

/** The n-th output of a mulberry32 stream, computed directly: its state after n steps is seed + n·0x6D2B79F5. */
function mulberry32At(seed: number, n: number): number {
  let t = (seed + Math.imul(n + 1, 0x6d2b79f5)) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** One probe's thermal lag and the lagged temperature at the last two conversion starts. */
class Channel {
  lag: number;
  /** Lagged temperature when the previous conversion started: the one now published. */
  prev: number;
  /** Lagged temperature when the conversion in progress started. */
  cur: number;
  published = 0;
  #from = 0;
  readonly #alpha1: number;
  readonly #tauS: number;
  readonly #stream: number;

  constructor(c: number, tauS: number, stream: number) {
    this.lag = c;
    this.prev = c;
    this.cur = c;
    this.#tauS = tauS;
    this.#alpha1 = 1 - Math.exp(-1 / tauS);
    this.#stream = stream;
  }

  advance(dt: number, c: number): void {
    this.#from = this.lag;
    const alpha = dt === 1 ? this.#alpha1 : 1 - Math.exp(-dt / this.#tauS);
    this.lag += alpha * (c - this.lag);
  }

  /** A conversion started at fraction f of the step just taken. */
  capture(f: number): void {
    this.prev = this.cur;
    this.cur = this.#from + (this.lag - this.#from) * f;
  }

  /** Noise is a pure function of (seed, probe, conversion), so it does not depend on who read when. */
  publish(index: number, noiseC: number): void {
    let noise = 0;
    if (noiseC > 0) {
      const u1 = 1 - mulberry32At(this.#stream, 2 * index);
      const u2 = mulberry32At(this.#stream, 2 * index + 1);
      noise = noiseC * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    this.published = quantize12(this.prev + noise);
  }
}

/**
 * Conversions run back to back from the simulation start t0: conversion m starts at t0 + 750·(m − 1) and
 * finishes at t0 + 750·m. At any time the published value is the last finished one, so a reading always
 * describes the probe as it was 750 ms before its `at`.
 */
export class Ds18b20Bank {
  readonly #beer: Channel;
  readonly #chamber: Channel;
  readonly #ambient: Channel;
  readonly #t0: number;
  readonly #noiseC: number;
  /** Index of the conversion in progress; the previous one is published. */
  #current = 1;
  #publishedIndex = -1;

  constructor(t0: number, beerC: number, chamberC: number, ambientC: number, noiseC: number, seed: number) {
    this.#t0 = t0;
    this.#noiseC = noiseC;
    const stream = (i: number) => (mulberry32At(seed | 0, i) * 4294967296) | 0;
    this.#beer = new Channel(beerC, TAU_S.beer, stream(0));
    this.#chamber = new Channel(chamberC, TAU_S.chamber, stream(1));
    this.#ambient = new Channel(ambientC, TAU_S.ambient, stream(2));
  }

  /** Advance the probes over [t, tEnd] (dt s) given the true temperatures at t. */
  step(t: number, tEnd: number, dt: number, beerC: number, chamberC: number, ambientC: number): void {
    this.#beer.advance(dt, beerC);
    this.#chamber.advance(dt, chamberC);
    this.#ambient.advance(dt, ambientC);
    let start = this.#t0 + CONVERSION_MS * this.#current;
    while (start <= tEnd) {
      const f = (start - t) / (tEnd - t);
      this.#beer.capture(f);
      this.#chamber.capture(f);
      this.#ambient.capture(f);
      this.#current++;
      start += CONVERSION_MS;
    }
  }

  /** When the published conversion finished. */
  finishedAt(): number {
    return this.#t0 + CONVERSION_MS * (this.#current - 1);
  }

  /** The published reading of a physical probe, as the chip reports it. */
  value(probe: Probe): number {
    const index = this.#current - 1;
    if (index !== this.#publishedIndex) {
      this.#beer.publish(index, this.#noiseC);
      this.#chamber.publish(index, this.#noiseC);
      this.#ambient.publish(index, this.#noiseC);
      this.#publishedIndex = index;
    }
    return probe === 'beer'
      ? this.#beer.published
      : probe === 'chamber'
        ? this.#chamber.published
        : this.#ambient.published;
  }
}
