// The safety guard: the only code path that can switch an output. It holds the board's output port,
// judges every reading before a controller sees it, and bounds every request by the rules in ./rules.
// Per control tick: check(frame) → controller → apply(request). A trip found in check() switches every
// output off at once and stays latched until a person clears it (or autoRecover allows, for sensor faults).
import { EventEmitter } from 'node:events';
import type { Clock } from '../../common/clock.js';
import type { SafetyConfig } from '../config-schema.js';
import type {
  CheckedReadings,
  Incident,
  OutputName,
  OutputPort,
  Outputs,
  Probe,
  SafetyCode,
  SafetyStatus,
  SensorFrame,
  SensorSample,
  TimingLimits,
} from '../types.js';
import { CODES, RECOVERABLE, tripPersists } from './codes.js';
import { degC, duration, PROBE_NAME } from './format.js';
import { IncidentLog } from './incident-log.js';
import * as msg from './messages.js';
import { type AirHeatFinding, AirHeatWatch } from './rules/air-heat.js';
import { BeerPull } from './rules/beer-pull.js';
import { BrownOutChatterWatch } from './rules/brown-out-chatter.js';
import { IdenticalWatch } from './rules/identical.js';
import { OUTPUT_NAMES, type OutputState, OutputTiming, timingLimits } from './rules/output-timing.js';
import { ProbeMonitor, type SampleFault } from './rules/plausibility.js';
import { RelayStuckWatch } from './rules/relay-stuck.js';
import { RunawayWatch } from './rules/runaway.js';
import { StuckWatch } from './rules/stuck.js';
import { SwapWatch } from './rules/swapped.js';

export interface SafetyGuardOptions {
  fermenterId: string;
  safety: SafetyConfig;
  /** chamber: the heater warms the fridge air; vessel: a wrap or belt warms the fermenter itself. */
  heaterMount: 'chamber' | 'vessel';
  /** Outputs fitted and allowed to run (`outputs.<name>.enabled`); a disabled one is never switched on. */
  enabled?: Outputs;
  /** The board's output port. The guard must be its only holder. */
  port: OutputPort;
  clock: Clock;
  /** Current settings, copied into each incident's context. */
  settings: () => Record<string, unknown>;
  /** What the guard remembered before a restart: its latches stay latched, its output times hold. */
  memory?: GuardMemory | null;
  /** Called with everything the guard must not forget, each time that changes (before anyone is told). */
  remember?: (memory: GuardMemory) => void;
}

/** What survives a restart: latched trips and alarms with their incidents, and when each output last switched. */
export interface GuardMemory {
  latches: Latch[];
  outputs: Record<OutputName, OutputState>;
  nextIncidentId: number;
}

/** The timing the guard enforces, and which outputs it will switch on at all. */
export interface GuardTiming extends TimingLimits {
  enabled: Outputs;
}

export interface SafetyGuardEvents {
  incident: [Incident];
  status: [SafetyStatus];
}

const FAULT_CODE: Record<SampleFault, SafetyCode> = {
  disconnected: CODES.sensorDisconnected,
  'power-on': CODES.sensorPowerOn,
  range: CODES.sensorRange,
  jump: CODES.sensorJump,
};

type ControlProbe = 'beer' | 'chamber';
type Subject = Probe | OutputName | 'probes';

export interface Latch {
  code: SafetyCode;
  subject: Subject;
  severity: Incident['severity'];
  incident: Incident;
}

export class SafetyGuard extends EventEmitter<SafetyGuardEvents> {
  readonly fermenterId: string;
  readonly #cfg: SafetyConfig;
  readonly #chamberHeater: boolean;
  readonly #enabled: Readonly<Outputs>;
  readonly #port: OutputPort;
  readonly #clock: Clock;
  readonly #limits: TimingLimits;
  readonly #staleMs: number;
  readonly #windowMs: number;
  readonly #timing: OutputTiming;
  readonly #probes: Record<Probe, ProbeMonitor>;
  readonly #log: IncidentLog;
  readonly #stuck: Record<ControlProbe, StuckWatch>;
  readonly #beerPull: BeerPull;
  readonly #identical: IdenticalWatch;
  readonly #swap: Record<OutputName, SwapWatch>;
  readonly #runaway: Record<OutputName, RunawayWatch>;
  readonly #relay: Record<OutputName, RelayStuckWatch>;
  /** A vessel heater's run putting its heat into the air (the wrap came off). */
  readonly #airHeat: AirHeatWatch;
  readonly #brownOut = new BrownOutChatterWatch();
  readonly #latched: Latch[] = [];
  /** The room probe's current alarm, if any: room faults never trip. */
  #roomAlarm: SafetyCode | null = null;
  /** Outputs cut by their maximum run whose controller still asks for them: one alarm per episode. */
  readonly #limitEpisode: Outputs = { heat: false, cool: false };
  #lastCheckAt = Number.NaN;
  /** Trusted readings as of the last check; NaN when untrusted. */
  #beer = Number.NaN;
  #chamber = Number.NaN;
  #room = Number.NaN;
  #statusChanged = false;
  readonly #remember: (memory: GuardMemory) => void;

  constructor(opts: SafetyGuardOptions) {
    super();
    const cfg = opts.safety;
    const now = opts.clock.now();
    this.fermenterId = opts.fermenterId;
    this.#cfg = cfg;
    this.#chamberHeater = opts.heaterMount === 'chamber';
    this.#enabled = Object.freeze({ heat: opts.enabled?.heat ?? true, cool: opts.enabled?.cool ?? true });
    this.#port = opts.port;
    this.#clock = opts.clock;
    this.#log = new IncidentLog(opts.fermenterId, opts.settings);
    this.#limits = timingLimits(cfg);
    this.#staleMs = cfg.staleS * 1000;
    this.#windowMs = cfg.runaway.windowS * 1000;
    this.#timing = new OutputTiming(this.#limits, now);
    this.#remember = opts.remember ?? (() => {});
    if (opts.memory) this.#recall(opts.memory, now);
    const monitor = (p: Probe) =>
      new ProbeMonitor(
        {
          minC: cfg[p].minC,
          maxC: cfg[p].maxC,
          maxRatePerMs: cfg.maxRateCPerMin / 60_000,
          marginC: cfg.jumpMarginC,
          staleMs: this.#staleMs,
          faultSamples: cfg.faultSamples,
        },
        now,
      );
    this.#probes = { beer: monitor('beer'), chamber: monitor('chamber'), ambient: monitor('ambient') };
    this.#stuck = { beer: new StuckWatch(cfg.stuckS * 1000), chamber: new StuckWatch(cfg.stuckS * 1000) };
    this.#beerPull = new BeerPull(cfg.heldMarginC);
    this.#identical = new IdenticalWatch(cfg.identicalS * 1000, cfg.identicalToleranceC);
    const { windowS, minDeltaC } = cfg.runaway;
    this.#swap = {
      heat: new SwapWatch(1, minDeltaC, cfg.swappedRatio),
      cool: new SwapWatch(-1, minDeltaC, cfg.swappedRatio),
    };
    this.#runaway = {
      heat: new RunawayWatch(1, windowS * 1000, minDeltaC, cfg.heldMarginC),
      cool: new RunawayWatch(-1, windowS * 1000, minDeltaC, cfg.heldMarginC),
    };
    this.#relay = {
      heat: new RelayStuckWatch(1, (windowS * 1000) / 2, minDeltaC, cfg.heldMarginC),
      cool: new RelayStuckWatch(-1, (windowS * 1000) / 2, minDeltaC, cfg.heldMarginC),
    };
    this.#airHeat = new AirHeatWatch(cfg.detachedRiseC, cfg.swappedRatio, cfg.heldMarginC);
    this.#relay.heat.restart(now);
    this.#relay.cool.restart(now);
    // Whatever the pins did while the host booted, they are off from here on.
    this.#port.write({ heat: false, cool: false });
  }

  /** Judge this tick's readings. May trip (switching everything off at once); untrusted probes read null. */
  check(frame: SensorFrame): CheckedReadings {
    const now = this.#clock.now();
    const dtMs = Number.isNaN(this.#lastCheckAt) ? 0 : Math.max(0, now - this.#lastCheckAt);
    this.#lastCheckAt = now;
    const { beer, chamber, ambient } = this.#probes;
    beer.update(frame.beer);
    chamber.update(frame.chamber);
    ambient.update(frame.ambient);
    this.#log.history.push(frame.at, raw(frame.beer), raw(frame.chamber), raw(frame.ambient));

    this.#judgeProbe('beer', now);
    this.#judgeProbe('chamber', now);
    this.#judgeRoom(now);
    this.#beer = beer.reading(now);
    this.#chamber = chamber.reading(now);
    this.#room = ambient.reading(now);
    this.#judgeEvidence(now, dtMs);
    this.#autoRecover(now);
    this.#publishStatus();
    return {
      at: frame.at,
      beer: this.#distrusted('beer') ? null : orNull(this.#beer),
      chamber: this.#distrusted('chamber') ? null : orNull(this.#chamber),
      ambient: orNull(this.#room),
    };
  }

  /** Enforce every rule on the controller's request, write the result to the port and return it. */
  apply(request: Outputs): Outputs {
    const now = this.#clock.now();
    this.#judgeStale('beer', now);
    this.#judgeStale('chamber', now);
    const t = this.#timing;
    const wasHeat = t.heat.on;
    const wasCool = t.cool.on;
    const en = this.#enabled;
    t.step({ heat: request.heat && en.heat, cool: request.cool && en.cool }, this.#latched.length > 0, now);
    this.#switched(wasHeat, wasCool, now);
    for (const o of OUTPUT_NAMES) {
      if (t.limited[o] && !this.#limitEpisode[o]) {
        this.#limitEpisode[o] = true;
        this.#statusChanged = true;
        const ms = this.#limits[o];
        const text = msg.maxOnTime(o, ms.maxOnS * 1000, ms.minOffS * 1000);
        const before = { heat: wasHeat, cool: wasCool };
        this.#tell(this.#log.record(CODES.maxOnTime, 'alarm', text, now, before, { output: o }));
      } else if (this.#limitEpisode[o] && !request[o]) {
        this.#limitEpisode[o] = false;
        this.#statusChanged = true;
      }
    }
    const heat = t.heat.on;
    const cool = t.cool.on;
    this.#port.write({ heat, cool });
    this.#publishStatus();
    return { heat, cool };
  }

  status(): SafetyStatus {
    const trips: SafetyCode[] = [];
    const alarms: SafetyCode[] = [];
    for (const l of this.#latched) addOnce(l.severity === 'trip' ? trips : alarms, l.code);
    if (this.#roomAlarm !== null) addOnce(alarms, this.#roomAlarm);
    if (this.#limitEpisode.heat || this.#limitEpisode.cool) addOnce(alarms, CODES.maxOnTime);
    return { status: trips.length > 0 ? 'tripped' : alarms.length > 0 ? 'alarm' : 'ok', trips, alarms };
  }

  /** The output timing the guard enforces and the outputs it will switch on, for controllers to plan within. */
  timing(): GuardTiming {
    return {
      heat: { ...this.#limits.heat },
      cool: { ...this.#limits.cool },
      interlockDeadS: this.#limits.interlockDeadS,
      enabled: { ...this.#enabled },
    };
  }

  /**
   * A person clears every latched trip and alarm at once and gets their codes back. Throws
   * COBREW_ERR_TRIP_PERSISTS, clearing nothing, while any of their conditions is still present. Stuck,
   * identical, swapped and no-effect conditions only show while outputs run, so those are re-armed instead:
   * their evidence starts again from zero.
   */
  clear(by: string): SafetyCode[] {
    const now = this.#clock.now();
    const persisting: Array<{ code: SafetyCode; text: string }> = [];
    for (const l of this.#latched) {
      const text = this.#persists(l, now);
      if (text !== null) persisting.push({ code: l.code, text });
    }
    if (persisting.length > 0) throw tripPersists(persisting);
    const cleared = this.#unlatch(this.#latched.slice(), by, now);
    this.#publishStatus();
    return cleared;
  }

  /** Shutdown or host loss: everything off now, inside minimum on-times or not. */
  forceSafe(reason: string): void {
    const now = this.#clock.now();
    const outputs = { heat: this.#timing.heat.on, cool: this.#timing.cool.on };
    this.#allOff(now);
    this.#tell(this.#log.record(CODES.forcedSafe, 'alarm', msg.forcedSafe(reason), now, outputs, { reason }));
    this.#publishStatus();
  }

  /**
   * The board restarted by itself: everything off now (its outputs already are), with the reset's cause
   * when the board told it. Resets that may be brown-outs, each right after an output switched on, latch
   * a trip once they repeat: the relay is chattering under load and its contacts will weld.
   */
  boardReset(reason: string, cause: string | undefined): void {
    const now = this.#clock.now();
    const t = this.#timing;
    const last: OutputName = t.heat.onAt >= t.cool.onAt ? 'heat' : 'cool';
    const lastOn = Number.isFinite(t[last].onAt) ? { output: last, at: t[last].onAt } : null;
    this.forceSafe(reason);
    const found = this.#brownOut.observe(cause, lastOn, now);
    if (found === null || this.#has(CODES.brownOutChatter, found.output)) return;
    this.#trip(CODES.brownOutChatter, found.output, msg.brownOutChatter(found), now, { ...found });
    this.#publishStatus();
  }

  /** Something a person should know that switches nothing (an outage, say): an alarm incident, not latched. */
  note(code: SafetyCode, message: string, detail: Record<string, unknown>): Incident {
    const incident = this.#log.record(code, 'alarm', message, this.#clock.now(), this.#outputsNow(), detail);
    this.#tell(incident);
    return incident;
  }

  /** Incidents so far, oldest first (the last 200). */
  incidents(): readonly Incident[] {
    return this.#log.list();
  }

  #judgeProbe(p: ControlProbe, now: number): void {
    const m = this.#probes[p];
    if (m.fault !== null && m.confirmed()) {
      const code = FAULT_CODE[m.fault];
      if (!this.#has(code, p)) {
        const text = msg.sensorFault(p, m.fault, m.raw, this.#cfg[p], m.value, this.#then(code));
        this.#trip(code, p, text, now, { probe: p, value: m.raw, previousC: orNull(m.value) });
      }
    }
    this.#judgeStale(p, now);
    // No waiting for more samples here: a believable rise past the cut-off is real heat.
    const limit = this.#cfg.overTempC;
    if (m.raw > limit && m.believable() && !m.stale(now) && !this.#has(CODES.overTemperature, p)) {
      const text = msg.overTemperature(p, m.raw, limit, this.#then(CODES.overTemperature));
      this.#trip(CODES.overTemperature, p, text, now, { probe: p, value: m.raw, limitC: limit });
    }
  }

  #judgeStale(p: ControlProbe, now: number): void {
    const m = this.#probes[p];
    if (!m.stale(now) || this.#has(CODES.sensorStale, p)) return;
    const age = m.seen ? now - m.sampleAt : Number.NaN;
    const text = msg.stale(p, age, this.#staleMs, this.#then(CODES.sensorStale));
    this.#trip(CODES.sensorStale, p, text, now, { probe: p, lastSampleAt: m.seen ? m.sampleAt : null });
  }

  /** The room probe only informs (welded-relay check), so its faults raise an alarm while they last. */
  #judgeRoom(now: number): void {
    const m = this.#probes.ambient;
    let code = this.#roomAlarm;
    // A room probe that has never answered is taken as not fitted.
    if (m.seen && m.stale(now)) code = CODES.sensorStale;
    else if (m.fault !== null && m.confirmed()) code = FAULT_CODE[m.fault];
    else if (m.count === 0 || code === CODES.sensorStale) code = null;
    if (code === this.#roomAlarm) return;
    this.#roomAlarm = code;
    this.#statusChanged = true;
    if (code === null) return;
    const text =
      code === CODES.sensorStale
        ? msg.stale('ambient', now - m.sampleAt, this.#staleMs, msg.ROOM_ONLY)
        : msg.sensorFault(
            'ambient',
            m.fault as SampleFault,
            m.raw,
            this.#cfg.ambient,
            m.value,
            msg.ROOM_ONLY,
          );
    this.#tell(
      this.#log.record(code, 'alarm', text, now, this.#outputsNow(), {
        probe: 'ambient',
        value: orNull(m.raw),
      }),
    );
  }

  /**
   * Rules that need outputs running, judged on the outputs as applied over the interval since the last
   * check. Chamber-stuck and identical evidence only builds in the first runaway window of a run: that is
   * when a working output certainly moves the chamber away from the beer (the runaway rule demands it).
   * Later in a long run temperatures settle where the output holds them: at full duty the beer converges
   * to the chamber air and a quantised probe may repeat itself, legitimately. The beer is only expected to
   * move while it is being pulled (see BeerPull) or a vessel heater drives it.
   */
  #judgeEvidence(now: number, dtMs: number): void {
    const t = this.#timing;
    const heatOn = t.heat.on;
    const coolOn = t.cool.on;
    const heatDriving = heatOn && now - t.heat.onAt < this.#windowMs;
    const coolDriving = coolOn && now - t.cool.onAt < this.#windowMs;
    const beer = this.#beer;
    const chamber = this.#chamber;

    const beerChanged = beer !== this.#stuck.beer.heldC && !Number.isNaN(beer);
    const pulled = this.#beerPull.observe(chamber, beerChanged, dtMs);
    const beerDriven = pulled || (heatDriving && !this.#chamberHeater);
    const beerStuck = this.#stuck.beer.observe(beer, beerDriven, dtMs, now);
    if (beerStuck && !this.#has(CODES.sensorStuck, 'beer')) this.#tripStuck('beer', now);
    const chamberDriven = coolDriving || (heatDriving && this.#chamberHeater);
    const chamberStuck = this.#stuck.chamber.observe(chamber, chamberDriven, dtMs, now);
    if (chamberStuck && !this.#has(CODES.sensorStuck, 'chamber')) this.#tripStuck('chamber', now);

    const identical = this.#identical.observe(beer, chamber, heatDriving || coolDriving, dtMs, now);
    if (identical && !this.#has(CODES.probesIdentical, 'probes')) this.#tripIdentical(now);

    if (coolOn) this.#judgeRun('cool', now);
    if (heatOn) this.#judgeRun('heat', now);

    if (!this.#timing.cool.on) this.#judgeRelay('cool', now);
    if (!this.#timing.heat.on && this.#chamberHeater) this.#judgeRelay('heat', now);
  }

  #tripStuck(p: ControlProbe, now: number): void {
    const w = this.#stuck[p];
    const text = msg.stuck(p, w.heldC, w.drivenMs, this.#then(CODES.sensorStuck));
    this.#trip(CODES.sensorStuck, p, text, now, { probe: p, value: w.heldC, drivenS: w.drivenMs / 1000 });
  }

  #tripIdentical(now: number): void {
    const w = this.#identical;
    const tol = this.#cfg.identicalToleranceC;
    const text = msg.identical(
      this.#beer,
      this.#chamber,
      w.drivingMs,
      tol,
      this.#then(CODES.probesIdentical),
    );
    this.#trip(CODES.probesIdentical, 'probes', text, now, { beerC: this.#beer, chamberC: this.#chamber });
  }

  /** Swapped probes and no-effect for one running output. */
  #judgeRun(o: OutputName, now: number): void {
    if (o === 'cool' || this.#chamberHeater) {
      const swap = this.#swap[o].observe(this.#beer, this.#chamber);
      if (swap !== null && !this.#has(CODES.probesSwapped, 'probes')) {
        const text = msg.swapped(o, swap, this.#then(CODES.probesSwapped));
        this.#trip(CODES.probesSwapped, 'probes', text, now, { output: o, ...swap });
        return;
      }
    }
    const vessel = o === 'heat' && !this.#chamberHeater;
    if (vessel) {
      const air = this.#airHeat.observe(this.#beer, this.#chamber, this.#room, now);
      if (air !== null && !this.#has(CODES.heaterNoEffect, o)) {
        this.#tripAirHeat(air, now);
        return;
      }
    }
    const probe: ControlProbe = vessel ? 'beer' : 'chamber';
    const watched = probe === 'beer' ? this.#beer : this.#chamber;
    const other = probe === 'beer' ? this.#chamber : this.#beer;
    const found = this.#runaway[o].observe(watched, other, this.#room, now);
    if (found === null) return;
    // A probe that read the same as the other, or did not change at all, through the whole run is the
    // likelier fault than the output: name it.
    if (this.#identical.since <= found.fromAt) {
      this.#tripIdentical(now);
      return;
    }
    if (this.#stuck[probe].since <= found.fromAt) {
      this.#tripStuck(probe, now);
      return;
    }
    const code = o === 'heat' ? CODES.heaterNoEffect : CODES.coolerNoEffect;
    if (this.#has(code, o)) return;
    const air = vessel ? this.#airHeat.judge(this.#beer, this.#chamber, now) : null;
    if (air !== null) {
      this.#tripAirHeat(air, now);
      return;
    }
    const text = msg.noEffect(o, probe, found, this.#cfg.runaway.minDeltaC, this.#then(code));
    this.#trip(code, o, text, now, {
      output: o,
      probe,
      fromC: found.fromC,
      toC: found.toC,
      afterS: found.afterMs / 1000,
    });
  }

  #tripAirHeat(f: AirHeatFinding, now: number): void {
    const code = CODES.heaterNoEffect;
    const text = msg.heatIntoAir(f, this.#then(code));
    this.#trip(code, 'heat', text, now, { output: 'heat', probe: 'chamber', cause: 'heat-into-air', ...f });
  }

  #judgeRelay(o: OutputName, now: number): void {
    const found = this.#relay[o].observe(this.#chamber, this.#beer, this.#room, now);
    if (found === null || this.#has(CODES.relayStuckOn, o)) return;
    const text = msg.relayStuck(o, found, this.#cfg.heldMarginC);
    this.#latch(CODES.relayStuckOn, o, 'alarm', text, now, { output: o, ...found });
  }

  #autoRecover(now: number): void {
    const auto = this.#cfg.autoRecover;
    if (!auto.enabled || this.#latched.length === 0) return;
    let ready: Latch[] | undefined;
    for (const l of this.#latched) {
      if (!RECOVERABLE.has(l.code) || !isProbe(l.subject)) continue;
      if (!this.#probes[l.subject].saneFor(now, auto.afterS * 1000)) continue;
      ready ??= [];
      ready.push(l);
    }
    if (ready !== undefined) this.#unlatch(ready, 'auto-recover', now);
  }

  /** What still stands in the way of clearing `l`, in words; null when nothing does. */
  #persists(l: Latch, now: number): string | null {
    const s = l.subject;
    if (l.code === CODES.relayStuckOn && (s === 'heat' || s === 'cool')) {
      if (!this.#relay[s].persists(this.#chamber, this.#beer, this.#room)) return null;
      return `the chamber is still held ${s === 'cool' ? 'below' : 'above'} room and beer temperature, or cannot be read, so the ${s === 'cool' ? 'compressor' : 'heater'} relay may still be welded`;
    }
    if (!isProbe(s) || !(RECOVERABLE.has(l.code) || l.code === CODES.overTemperature)) return null;
    const m = this.#probes[s];
    if (!m.seen) return `the ${PROBE_NAME[s]} has not answered yet`;
    if (m.stale(now))
      return `the ${PROBE_NAME[s]} has sent no fresh reading for ${duration(now - m.sampleAt)}`;
    if (m.fault === 'jump') return `the ${PROBE_NAME[s]} is still jumping (it now reads ${degC(m.raw)})`;
    if (m.fault !== null) return `the ${PROBE_NAME[s]} still reads ${degC(m.raw)}`;
    if (l.code === CODES.overTemperature && m.value > this.#cfg.overTempC) {
      return `the ${s} still reads ${degC(m.value)}, above the ${degC(this.#cfg.overTempC)} cut-off`;
    }
    return null;
  }

  #unlatch(list: Latch[], by: string, now: number): SafetyCode[] {
    const codes: SafetyCode[] = [];
    for (const l of list) {
      this.#latched.splice(this.#latched.indexOf(l), 1);
      addOnce(codes, l.code);
      const ctx = l.incident.context;
      ctx.detail = { ...ctx.detail, clearedBy: by, clearedAt: now };
      if (isProbe(l.subject)) this.#probes[l.subject].forgive();
    }
    // Evidence that only builds while outputs run starts again from nothing.
    this.#stuck.beer.reset();
    this.#stuck.chamber.reset();
    this.#identical.reset();
    for (const o of OUTPUT_NAMES) if (!this.#timing[o].on) this.#relay[o].restart(now);
    this.#statusChanged = true;
    this.#store();
    return codes;
  }

  #trip(
    code: SafetyCode,
    subject: Subject,
    message: string,
    now: number,
    detail: Record<string, unknown>,
  ): void {
    this.#latch(code, subject, 'trip', message, now, detail);
  }

  /** Latch, switch everything off (writing the port now, not at the next apply), then tell. */
  #latch(
    code: SafetyCode,
    subject: Subject,
    severity: Incident['severity'],
    message: string,
    now: number,
    detail: Record<string, unknown>,
  ): void {
    const outputs = this.#outputsNow();
    this.#allOff(now);
    const incident = this.#log.record(code, severity, message, now, outputs, detail);
    this.#latched.push({ code, subject, severity, incident });
    this.#statusChanged = true;
    this.#tell(incident);
  }

  #allOff(now: number): void {
    const t = this.#timing;
    const wasHeat = t.heat.on;
    const wasCool = t.cool.on;
    t.allOff(now);
    this.#switched(wasHeat, wasCool, now);
    this.#port.write({ heat: false, cool: false });
  }

  /** Start and stop the per-run watches on switching edges. */
  #switched(wasHeat: boolean, wasCool: boolean, now: number): void {
    this.#edge('heat', wasHeat, now);
    this.#edge('cool', wasCool, now);
  }

  #edge(o: OutputName, was: boolean, now: number): void {
    const on = this.#timing[o].on;
    if (on === was) return;
    this.#store();
    if (on) {
      const watched = o === 'heat' && !this.#chamberHeater ? this.#beer : this.#chamber;
      this.#runaway[o].start(watched, now);
      this.#swap[o].start(this.#beer, this.#chamber);
      if (o === 'heat' && !this.#chamberHeater) this.#airHeat.start(this.#beer, this.#chamber, now);
    } else {
      this.#runaway[o].stop();
      this.#swap[o].stop();
      if (o === 'heat') this.#airHeat.stop();
      this.#relay[o].restart(now);
    }
  }

  #tell(incident: Incident): void {
    this.#store();
    this.emit('incident', incident);
  }

  /** How a trip with this code ends, for its message. */
  #then(code: SafetyCode): string {
    const auto = this.#cfg.autoRecover;
    if (auto.enabled && RECOVERABLE.has(code)) {
      return `Every output is off until its readings have been sane for ${duration(auto.afterS * 1000)}, or a person clears the trip.`;
    }
    return 'Every output is off until a person clears the trip.';
  }

  /** Everything a restart must not forget, as of now. */
  memory(): GuardMemory {
    return structuredClone({
      latches: this.#latched,
      outputs: { heat: this.#timing.heat, cool: this.#timing.cool },
      nextIncidentId: this.#log.nextId,
    });
  }

  #store(): void {
    this.#remember(this.memory());
  }

  /** Latches come back latched (outputs stay off until cleared); output times are never earlier than now's start. */
  #recall(m: GuardMemory, now: number): void {
    for (const l of m.latches) this.#latched.push(structuredClone(l));
    this.#log.restore(
      this.#latched.map((l) => l.incident),
      m.nextIncidentId,
    );
    for (const o of OUTPUT_NAMES) this.#timing.recall(o, m.outputs[o], now);
    this.#statusChanged = this.#latched.length > 0;
  }

  #has(code: SafetyCode, subject: Subject): boolean {
    for (const l of this.#latched) if (l.code === code && l.subject === subject) return true;
    return false;
  }

  /** A latched stuck, identical or swapped trip means the probe's values cannot be believed until cleared. */
  #distrusted(p: ControlProbe): boolean {
    for (const l of this.#latched) {
      if (l.code === CODES.sensorStuck && l.subject === p) return true;
      if (l.code === CODES.probesIdentical || l.code === CODES.probesSwapped) return true;
    }
    return false;
  }

  #outputsNow(): Outputs {
    return { heat: this.#timing.heat.on, cool: this.#timing.cool.on };
  }

  #publishStatus(): void {
    if (!this.#statusChanged) return;
    this.#statusChanged = false;
    this.emit('status', this.status());
  }
}

function raw(s: SensorSample | null): number {
  return s === null ? Number.NaN : s.value;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function isProbe(s: Subject): s is Probe {
  return s === 'beer' || s === 'chamber' || s === 'ambient';
}

function addOnce(list: SafetyCode[], code: SafetyCode): void {
  if (!list.includes(code)) list.push(code);
}
