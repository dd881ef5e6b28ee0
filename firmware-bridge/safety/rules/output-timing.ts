// Output timing: heat and cool never together, a dead time between them, minimum on and off times
// (compressor protection) and a maximum continuous run. Only a hold (trip, welded relay) or the maximum
// run cuts an output inside its minimum on-time; minimum off-time is honoured whatever switched it off.
import type { SafetyConfig } from '../../config-schema.js';
import type { OutputName, Outputs, TimingLimits } from '../../types.js';

export const OUTPUT_NAMES: readonly OutputName[] = ['heat', 'cool'];

/** The timing a fermenter's `safety` settings ask for. */
export function timingLimits(cfg: SafetyConfig): TimingLimits {
  return { heat: { ...cfg.heat }, cool: { ...cfg.cool }, interlockDeadS: cfg.interlockDeadS };
}

export interface OutputState {
  on: boolean;
  onAt: number;
  /** When it last went off. Starts at the guard's creation: after a restart (a power blip, say) the
   * compressor may have just stopped, and restarting it against full head pressure stalls it, and the
   * locked-rotor current is what welds relay contacts. */
  offAt: number;
  /** Whether it has been on since the guard started: the dead time only follows a real run. */
  ran: boolean;
}

interface TimingMs {
  minOn: number;
  minOff: number;
  maxOn: number;
}

export class OutputTiming {
  readonly heat: OutputState;
  readonly cool: OutputState;
  /** Which outputs the last step cut because they reached their maximum run. */
  readonly limited: Outputs = { heat: false, cool: false };
  readonly #ms: Record<OutputName, TimingMs>;
  readonly #deadMs: number;

  constructor(limits: TimingLimits, startAt: number) {
    const ms = (o: OutputName): TimingMs => ({
      minOn: limits[o].minOnS * 1000,
      minOff: limits[o].minOffS * 1000,
      maxOn: limits[o].maxOnS * 1000,
    });
    this.#ms = { heat: ms('heat'), cool: ms('cool') };
    this.#deadMs = limits.interlockDeadS * 1000;
    this.heat = { on: false, onAt: Number.NEGATIVE_INFINITY, offAt: startAt, ran: false };
    this.cool = { on: false, onAt: Number.NEGATIVE_INFINITY, offAt: startAt, ran: false };
  }

  /**
   * Move the outputs towards `request` as far as the timing allows. `hold` forces everything off now.
   * Both requested at once is a controller fault: the one already on keeps running, else neither starts.
   */
  step(request: Outputs, hold: boolean, now: number): void {
    let wantHeat = !hold && request.heat;
    let wantCool = !hold && request.cool;
    if (wantHeat && wantCool) {
      if (this.heat.on) wantCool = false;
      else if (this.cool.on) wantHeat = false;
      else wantHeat = wantCool = false;
    }
    this.limited.heat = this.#stop('heat', wantHeat, hold, now);
    this.limited.cool = this.#stop('cool', wantCool, hold, now);
    if (wantHeat) this.#start('heat', now);
    if (wantCool) this.#start('cool', now);
  }

  /**
   * What `o` did before a restart. An output on when cobrew stopped went off then at the latest, so its
   * minimum off-time counts from this start; one that stopped later than this start's clock says (the
   * clock was set back) counts from when it stopped. A run before the restart still asks for the dead time.
   */
  recall(o: OutputName, before: OutputState, startAt: number): void {
    const s = this[o];
    s.offAt = Math.max(s.offAt, before.on ? startAt : before.offAt);
    s.ran = before.ran || before.on;
  }

  /** Everything off now, inside minimum on-time or not. */
  allOff(now: number): void {
    for (const o of OUTPUT_NAMES) this.#off(this[o], now);
  }

  /** Whether `o` may switch on now. */
  mayStart(o: OutputName, now: number): boolean {
    return this.startsIn(o, now) === null;
  }

  /**
   * What keeps `o` from switching on now, and for how long: null when it may start; a wait of Infinity while
   * the other output runs.
   */
  startsIn(o: OutputName, now: number): { ms: number; rule: 'other-on' | 'dead-time' | 'min-off' } | null {
    const other = this[o === 'heat' ? 'cool' : 'heat'];
    if (other.on) return { ms: Number.POSITIVE_INFINITY, rule: 'other-on' };
    const dead = other.ran ? other.offAt + this.#deadMs - now : 0;
    const minOff = this[o].offAt + this.#ms[o].minOff - now;
    if (dead <= 0 && minOff <= 0) return null;
    return dead > minOff ? { ms: dead, rule: 'dead-time' } : { ms: minOff, rule: 'min-off' };
  }

  /** Returns true when the output was cut by its maximum run. */
  #stop(o: OutputName, want: boolean, hold: boolean, now: number): boolean {
    const s = this[o];
    if (!s.on) return false;
    const ranMs = now - s.onAt;
    const limit = ranMs >= this.#ms[o].maxOn;
    if (hold || limit || (!want && ranMs >= this.#ms[o].minOn)) this.#off(s, now);
    return limit && want && !hold;
  }

  #start(o: OutputName, now: number): void {
    const s = this[o];
    if (s.on || !this.mayStart(o, now)) return;
    s.on = true;
    s.onAt = now;
    s.ran = true;
  }

  #off(s: OutputState, now: number): void {
    if (!s.on) return;
    s.on = false;
    s.offAt = now;
  }
}
