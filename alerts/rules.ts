// The rules core: MQTT states, incidents, availability, board events and the space's health checks in,
// raised and cleared conditions out. Pure and on an injected clock: it sends nothing and stores nothing.
import type { Static } from '@sinclair/typebox';
import type { IncidentSchema } from '../broker/incident-schema.js';
import type { FermenterStateSchema } from '../broker/state-schema.js';
import type { Clock } from '../common/clock.js';
import type { AlertsSettings } from './config-schema.js';
import type { AlertKind, Condition, Facts, Transition } from './model.js';

export type FermenterState = Static<typeof FermenterStateSchema>;
export type Incident = Static<typeof IncidentSchema>;
export type HealthCheck = 'history' | 'mirror' | 'disk' | 'backup';
export type BoardEvent = { kind: 'board-reset'; detail: string } | { kind: 'board-failsafe'; detail: string };

/** Getting closer by this much restarts the out-of-band delay: a crash or a ramp is not a fault. */
const PROGRESS_C = 0.5;
/** Gravity samples are kept at most this often, so days of them stay small. */
const GRAVITY_SAMPLE_MS = 5 * 60_000;
const BATTERY_HYSTERESIS_V = 0.1;

interface FermenterWatch {
  lastStateAt: number;
  availability: 'online' | 'offline' | null;
  last: FermenterState | null;
  band: { since: number; errC: number; setpoint: number } | null;
  gravity: Array<{ at: number; sg: number }>;
  lastGravityAt: number | null;
}

export class RuleEngine {
  readonly #rules: AlertsSettings['rules'];
  readonly #clock: Clock;
  readonly #active = new Map<string, Condition>();
  readonly #fermenters = new Map<string, FermenterWatch>();

  constructor(rules: AlertsSettings['rules'], clock: Clock) {
    this.#rules = rules;
    this.#clock = clock;
  }

  /** Conditions still open from before a restart, so that their end is noticed. */
  restore(conditions: readonly Condition[]): void {
    for (const c of conditions) this.#active.set(c.key, c);
  }

  get active(): readonly Condition[] {
    return [...this.#active.values()];
  }

  onState(state: FermenterState): Transition[] {
    const now = this.#clock.now();
    const w = this.#watch(state.id);
    w.last = state;
    w.lastStateAt = now;
    const out: Transition[] = [];
    const facts = factsOf(state);
    if (w.availability !== 'offline') this.#set(out, `offline:${state.id}`, false);
    if (this.#rules.incidents) {
      // A trip or alarm seen in the state but not as an incident (heard before we started) is raised too.
      for (const [severity, codes, kind] of [
        ['critical', state.safety.trips, 'trip'],
        ['warning', state.safety.alarms, 'alarm'],
      ] as const) {
        for (const code of codes)
          this.#set(out, `${kind}:${state.id}:${code}`, true, () => ({
            kind,
            severity,
            fermenterId: state.id,
            facts: { ...facts, code },
            notifyResolved: true,
          }));
        for (const c of this.#active.values()) {
          if (
            c.kind === kind &&
            c.fermenterId === state.id &&
            !codes.includes(c.facts.code as `COBREW_ERR_${string}`)
          )
            this.#set(out, c.key, false);
        }
      }
    }
    if (this.#rules.outOfBand.enabled) this.#band(out, w, state, facts, now);
    if (this.#rules.boards && state.board !== undefined) {
      const starts = state.board.connected && state.board.modified;
      this.#set(out, `board-modified:${state.id}`, starts, () => ({
        kind: 'board-modified',
        severity: 'warning',
        fermenterId: state.id,
        facts: { ...facts, detail: state.board?.deviations.join('; ') ?? '' },
        notifyResolved: false,
      }));
    }
    if (this.#rules.hydrometer.enabled) this.#hydrometer(out, w, state, facts, now);
    return out;
  }

  onIncident(incident: Incident): Transition[] {
    if (!this.#rules.incidents) return [];
    const kind = incident.severity === 'trip' ? 'trip' : 'alarm';
    const out: Transition[] = [];
    const key = `${kind}:${incident.fermenterId}:${incident.code}`;
    const last = this.#watch(incident.fermenterId).last;
    this.#set(out, key, true, () => ({
      kind,
      severity: kind === 'trip' ? 'critical' : 'warning',
      fermenterId: incident.fermenterId,
      facts: {
        ...(last === null ? {} : factsOf(last)),
        code: incident.code,
        message: incident.message,
        incidentId: incident.id,
      },
      notifyResolved: true,
    }));
    return out;
  }

  onAvailability(fermenterId: string, online: boolean): Transition[] {
    const w = this.#watch(fermenterId);
    w.availability = online ? 'online' : 'offline';
    if (online) w.lastStateAt = this.#clock.now();
    const out: Transition[] = [];
    this.#set(out, `offline:${fermenterId}`, !online, () =>
      this.#offline(fermenterId, 'availability offline'),
    );
    return out;
  }

  /** Board events the bridge tells in-process (resets and failsafes): each one is an alert of its own. */
  onBoard(fermenterId: string, event: BoardEvent): Transition[] {
    if (!this.#rules.boards) return [];
    const now = this.#clock.now();
    const key = `${event.kind}:${fermenterId}:${now}`;
    const last = this.#watch(fermenterId).last;
    // Over at once: nothing to wait for, and no "resolved" message.
    return [
      {
        type: 'raise',
        condition: {
          key,
          kind: event.kind,
          severity: 'warning',
          fermenterId,
          facts: { ...(last === null ? {} : factsOf(last)), detail: event.detail },
          at: now,
          notifyResolved: false,
        },
      },
      { type: 'clear', key, at: now },
    ];
  }

  onHealth(check: HealthCheck, failing: boolean, detail: string): Transition[] {
    if (!this.#rules.space.enabled) return [];
    const kind: AlertKind =
      check === 'history'
        ? 'history-failing'
        : check === 'mirror'
          ? 'mirror-failing'
          : check === 'disk'
            ? 'disk-full'
            : 'backup-failing';
    const out: Transition[] = [];
    this.#set(out, `space:${check}`, failing, () => ({
      kind,
      severity: check === 'disk' || check === 'history' ? 'critical' : 'warning',
      fermenterId: null,
      facts: { detail },
      notifyResolved: true,
    }));
    return out;
  }

  /** Time-driven rules: silence (no state, no gravity). */
  tick(): Transition[] {
    const now = this.#clock.now();
    const out: Transition[] = [];
    for (const [id, w] of this.#fermenters) {
      if (now - w.lastStateAt >= this.#rules.offlineAfterS * 1000)
        this.#set(out, `offline:${id}`, true, () =>
          this.#offline(id, `no state for ${this.#rules.offlineAfterS} s`),
        );
      if (this.#rules.hydrometer.enabled) this.#silence(out, id, w, now);
    }
    return out;
  }

  #offline(fermenterId: string, detail: string): Omit<Condition, 'key' | 'at'> {
    const last = this.#watch(fermenterId).last;
    return {
      kind: 'offline',
      severity: 'critical',
      fermenterId,
      facts: { ...(last === null ? {} : factsOf(last)), detail },
      notifyResolved: true,
    };
  }

  #band(out: Transition[], w: FermenterWatch, s: FermenterState, facts: Facts, now: number): void {
    const rule = this.#rules.outOfBand.fermenters[s.id] ?? this.#rules.outOfBand;
    const key = `out-of-band:${s.id}`;
    const controlled =
      (s.mode === 'beer' || s.mode === 'profile') && s.beerC !== null && s.beerSetpointC !== null;
    const explained = [...this.#active.values()].some(
      (c) => c.fermenterId === s.id && (c.kind === 'trip' || c.kind === 'alarm' || c.kind === 'offline'),
    );
    if (!controlled || s.beerC === null || s.beerSetpointC === null) {
      w.band = null;
      this.#set(out, key, false);
      return;
    }
    const errC = Math.abs(s.beerC - s.beerSetpointC);
    if (errC <= rule.bandC) {
      w.band = null;
      this.#set(out, key, false);
      return;
    }
    if (w.band === null || w.band.setpoint !== s.beerSetpointC || w.band.errC - errC >= PROGRESS_C) {
      w.band = { since: now, errC, setpoint: s.beerSetpointC };
      return;
    }
    if (now - w.band.since >= rule.minutes * 60_000 && !explained) {
      this.#set(out, key, true, () => ({
        kind: 'out-of-band',
        severity: 'warning',
        fermenterId: s.id,
        facts: { ...facts, detail: `±${rule.bandC} °C for ${rule.minutes} min` },
        notifyResolved: true,
      }));
    }
  }

  #hydrometer(out: Transition[], w: FermenterWatch, s: FermenterState, facts: Facts, now: number): void {
    const h = this.#rules.hydrometer;
    if (s.hydrometerBatteryV !== null) {
      const low = s.hydrometerBatteryV < h.batteryLowV;
      const ok = s.hydrometerBatteryV >= h.batteryLowV + BATTERY_HYSTERESIS_V;
      if (low || ok)
        this.#set(out, `battery-low:${s.id}`, low, () => ({
          kind: 'battery-low',
          severity: 'info',
          fermenterId: s.id,
          facts,
          notifyResolved: false,
        }));
    }
    this.#silence(out, s.id, w, now);
    if (s.gravity === null) return;
    w.lastGravityAt = now;
    const samples = w.gravity;
    const lastSample = samples[samples.length - 1];
    if (lastSample === undefined || now - lastSample.at >= GRAVITY_SAMPLE_MS)
      samples.push({ at: now, sg: s.gravity });
    const keepMs = Math.max(h.stableHours, 1) * 3_600_000 + GRAVITY_SAMPLE_MS;
    while (samples.length > 0 && now - (samples[0] as { at: number }).at > keepMs) samples.shift();
    const windowStart = now - h.stableHours * 3_600_000;
    const inWindow = samples.filter((p) => p.at >= windowStart);
    const covered = samples.some((p) => p.at <= windowStart + GRAVITY_SAMPLE_MS);
    const sgs = inWindow.map((p) => p.sg);
    const stable = covered && sgs.length > 1 && Math.max(...sgs) - Math.min(...sgs) <= h.stableSg;
    const fg = h.finalGravity[s.id];
    const stuck = stable && fg !== undefined && s.gravity > fg + h.stuckMarginSg;
    this.#set(out, `fermentation-done:${s.id}`, stable && !stuck, () => ({
      kind: 'fermentation-done',
      severity: 'info',
      fermenterId: s.id,
      facts,
      notifyResolved: false,
    }));
    this.#set(out, `fermentation-stuck:${s.id}`, stuck, () => ({
      kind: 'fermentation-stuck',
      severity: 'warning',
      fermenterId: s.id,
      facts: { ...facts, detail: `expected final gravity ${fg?.toFixed(3)}` },
      notifyResolved: true,
    }));
  }

  /**
   * The bridge drops a hydrometer's gravity (null) once it is two hours old: a fermenter that had one and
   * now shows none, for silentHours since the last, has a silent hydrometer.
   */
  #silence(out: Transition[], id: string, w: FermenterWatch, now: number): void {
    const silent =
      w.last !== null &&
      w.last.gravity === null &&
      w.lastGravityAt !== null &&
      now - w.lastGravityAt >= this.#rules.hydrometer.silentHours * 3_600_000;
    this.#set(out, `hydrometer-silent:${id}`, silent, () => ({
      kind: 'hydrometer-silent',
      severity: 'warning',
      fermenterId: id,
      facts: w.last === null ? {} : factsOf(w.last),
      notifyResolved: true,
    }));
  }

  /** Raises the condition if it holds and is not active, clears it if it no longer holds. */
  #set(out: Transition[], key: string, holds: boolean, make?: () => Omit<Condition, 'key' | 'at'>): void {
    const now = this.#clock.now();
    if (holds && !this.#active.has(key) && make !== undefined) {
      const condition: Condition = { ...make(), key, at: now };
      this.#active.set(key, condition);
      out.push({ type: 'raise', condition });
    } else if (!holds && this.#active.has(key)) {
      this.#active.delete(key);
      out.push({ type: 'clear', key, at: now });
    }
  }

  #watch(id: string): FermenterWatch {
    let w = this.#fermenters.get(id);
    if (w === undefined) {
      w = {
        lastStateAt: this.#clock.now(),
        availability: null,
        last: null,
        band: null,
        gravity: [],
        lastGravityAt: null,
      };
      this.#fermenters.set(id, w);
    }
    return w;
  }
}

function factsOf(s: FermenterState): Facts {
  return {
    fermenterName: s.name,
    beerC: s.beerC,
    beerSetpointC: s.beerSetpointC,
    chamberC: s.chamberC,
    gravity: s.gravity,
    batteryV: s.hydrometerBatteryV,
  };
}
