// Every simulator fault, through the real control path: SimBoard → Fermenter (cobrew's cascade controller
// and the safety guard) on a ManualClock, one tick per simulated second. The fermenter settles, the fault
// arrives (injected, or wired in from power-on), and the run goes on until the guard reports it. Whatever the
// guard's own code says, the physical relays are watched on every tick: never heat and cool together, and
// minimum on, minimum off and dead times kept (except where a welded relay or a safety cut forces them).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import type { FermenterConfig } from '../../firmware-bridge/config-schema.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SIM_FAULT_KINDS, SimBoard, type SimFault } from '../../firmware-bridge/sim/sim-board.js';
import type { Incident, OutputName, Outputs } from '../../firmware-bridge/types.js';

const S = 1000;
const H = 3600 * S;
const SETTLE_H = 3;
const DETECT_LIMIT_H = 8;
/** How long a latched trip is watched after it fired. */
const LATCHED_WATCH_MS = 30 * 60 * S;
const OUTPUTS: readonly OutputName[] = ['heat', 'cool'];

/** 28 °C room, beer held at 18 °C by the compressor during active fermentation. */
const WARM = {
  board: { ambientMeanC: 28, ambientSwingC: 0, startBeerC: 18, fermentationDelayH: 24 },
  control: { beerSetpointC: 18 },
};
/** 8 °C cellar, beer held at 18 °C by the heater. */
const COLD = {
  board: { ambientMeanC: 8, ambientSwingC: 0, startBeerC: 18 },
  control: { beerSetpointC: 18 },
};

type Expectation =
  /**
   * Outputs forced off and latched. `clear`: refused while the fault is there; or, for evidence that only
   * shows while outputs run, accepted and re-armed, then tripped again (`retrips`) or not (`rearms`).
   */
  | { kind: 'trip'; code: string; clear: 'refused' | 'retrips' | 'rearms'; message?: RegExp }
  | { kind: 'welded'; output: OutputName }
  /** The room probe only informs: an alarm, and control goes on holding the beer. */
  | { kind: 'room-alarm'; code: string }
  /** Not an equipment fault: no trip, and the beer held within bandC of its setpoint. */
  | { kind: 'copes'; bandC: number; forH: number };

interface Case {
  name: string;
  setup: {
    board?: Record<string, unknown>;
    control?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  };
  fault: SimFault;
  /** Wired in from power-on through `board.faults`, rather than injected after settling. */
  fromPowerOn?: boolean;
  expect: Expectation;
}

const HEATING_ONLY = { cool: { enabled: false } };
const COOLING_ONLY = { heat: { enabled: false } };

const CASES: Case[] = [
  {
    name: 'unplugged beer probe (−127) trips SENSOR_DISCONNECTED',
    setup: WARM,
    fault: { kind: 'sensor-unplugged', probe: 'beer' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_DISCONNECTED', clear: 'refused' },
  },
  {
    name: 'unplugged chamber probe (−127) trips SENSOR_DISCONNECTED',
    setup: WARM,
    fault: { kind: 'sensor-unplugged', probe: 'chamber' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_DISCONNECTED', clear: 'refused' },
  },
  {
    name: 'unplugged room probe raises SENSOR_DISCONNECTED as an alarm only; control holds the beer',
    setup: WARM,
    fault: { kind: 'sensor-unplugged', probe: 'ambient' },
    expect: { kind: 'room-alarm', code: 'COBREW_ERR_SENSOR_DISCONNECTED' },
  },
  {
    name: 'beer probe browning out (85) trips SENSOR_POWER_ON',
    setup: WARM,
    fault: { kind: 'sensor-power-on', probe: 'beer' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_POWER_ON', clear: 'refused' },
  },
  {
    name: 'chamber probe browning out (85) trips SENSOR_POWER_ON',
    setup: WARM,
    fault: { kind: 'sensor-power-on', probe: 'chamber' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_POWER_ON', clear: 'refused' },
  },
  {
    name: 'stuck beer probe while fermentation heat moves the beer trips SENSOR_STUCK',
    setup: WARM,
    fault: { kind: 'sensor-stuck', probe: 'beer' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_STUCK', clear: 'retrips' },
  },
  {
    name: 'stuck chamber probe while the compressor cycles trips SENSOR_STUCK',
    setup: WARM,
    fault: { kind: 'sensor-stuck', probe: 'chamber' },
    expect: { kind: 'trip', code: 'COBREW_ERR_SENSOR_STUCK', clear: 'retrips' },
  },
  {
    name: 'beer and chamber probes swapped from power-on trip PROBES_SWAPPED',
    setup: WARM,
    fault: { kind: 'probes-swapped' },
    fromPowerOn: true,
    expect: { kind: 'trip', code: 'COBREW_ERR_PROBES_SWAPPED', clear: 'retrips' },
  },
  {
    name: 'both settings naming the beer probe from power-on trip PROBES_IDENTICAL',
    setup: WARM,
    fault: { kind: 'probe-duplicated', source: 'beer' },
    fromPowerOn: true,
    expect: { kind: 'trip', code: 'COBREW_ERR_PROBES_IDENTICAL', clear: 'retrips' },
  },
  {
    name: 'both settings naming the chamber probe from power-on trip PROBES_IDENTICAL',
    setup: WARM,
    fault: { kind: 'probe-duplicated', source: 'chamber' },
    fromPowerOn: true,
    expect: { kind: 'trip', code: 'COBREW_ERR_PROBES_IDENTICAL', clear: 'retrips' },
  },
  {
    name: 'welded heater relay on a heating-only fermenter in a cold room raises RELAY_STUCK_ON and holds all off',
    setup: { ...COLD, outputs: HEATING_ONLY },
    fault: { kind: 'relay-welded', output: 'heat' },
    expect: { kind: 'welded', output: 'heat' },
  },
  {
    name: 'welded compressor relay on a cooling-only fermenter in a warm room raises RELAY_STUCK_ON and holds all off',
    setup: { ...WARM, outputs: COOLING_ONLY },
    fault: { kind: 'relay-welded', output: 'cool' },
    expect: { kind: 'welded', output: 'cool' },
  },
  {
    name: 'vessel heat wrap come off while the beer is stepped up in a cold room trips HEATER_NO_EFFECT (heat into the air)',
    setup: {
      board: { ...COLD.board, heaterMount: 'vessel' },
      outputs: HEATING_ONLY,
      control: {
        mode: 'profile',
        profile: [
          { type: 'hold', targetC: 18, durationH: SETTLE_H },
          { type: 'hold', targetC: 21, durationH: 24 },
        ],
      },
    },
    fault: { kind: 'heater-detached' },
    expect: {
      kind: 'trip',
      code: 'COBREW_ERR_HEATER_NO_EFFECT',
      clear: 'retrips',
      message: /The heat is going into the air, not the beer: the heat wrap may have come off/,
    },
  },
  {
    name: 'dead compressor in a warm room with cooling demand trips COOLER_NO_EFFECT',
    setup: WARM,
    fault: { kind: 'compressor-dead' },
    expect: {
      kind: 'trip',
      code: 'COBREW_ERR_COOLER_NO_EFFECT',
      clear: 'retrips',
      message: /the compressor is not running or has lost its refrigerant/,
    },
  },
  {
    // After a clear the compressor, now running from a warm chamber, pulls it well below the room, which
    // is what a working compressor does: the guard cannot tell an open door from a weak fridge then.
    name: 'door left open in a warm room with cooling demand trips COOLER_NO_EFFECT naming the door; a clear re-arms',
    setup: WARM,
    fault: { kind: 'door-open' },
    expect: {
      kind: 'trip',
      code: 'COBREW_ERR_COOLER_NO_EFFECT',
      clear: 'rearms',
      message: /The door may be open/,
    },
  },
  {
    name: 'an 8 °C heatwave trips nothing and the beer stays within 0.5 °C of its setpoint',
    setup: { ...WARM, board: { ...WARM.board, ambientMeanC: 22 } },
    fault: { kind: 'heatwave', deltaC: 8 },
    expect: { kind: 'copes', bandC: 0.5, forH: 6 },
  },
];

/** Independent watch on the physical relays: interlock, dead time, minimum on and off times. */
class RelayWatch {
  readonly violations: string[] = [];
  readonly #on: Outputs = { heat: false, cool: false };
  readonly #onAt = { heat: 0, cool: 0 };
  readonly #offAt: Record<OutputName, number>;
  readonly #ran = { heat: false, cool: false };

  constructor(
    readonly config: FermenterConfig,
    start: number,
  ) {
    this.#offAt = { heat: start, cool: start };
  }

  /** `forced`: a safety cut this tick may end a run early; `welded`: outputs the weld switches. */
  observe(relays: Outputs, now: number, forced: boolean, welded: Outputs): void {
    const s = this.config.safety;
    if (relays.heat && relays.cool && !welded.heat && !welded.cool)
      this.#fail(now, 'heat and cool on together');
    for (const o of OUTPUTS) {
      if (relays[o] === this.#on[o]) continue;
      const other: OutputName = o === 'heat' ? 'cool' : 'heat';
      const exempt = welded[o] || welded[other];
      if (relays[o]) {
        if (!exempt && now - this.#offAt[o] < s[o].minOffS * S)
          this.#fail(now, `${o} restarted inside min-off`);
        if (!exempt && this.#ran[other] && now - this.#offAt[other] < s.interlockDeadS * S)
          this.#fail(now, `${o} started inside the dead time after ${other}`);
        this.#onAt[o] = now;
        this.#ran[o] = true;
      } else {
        if (!exempt && !forced && now - this.#onAt[o] < s[o].minOnS * S)
          this.#fail(now, `${o} stopped inside min-on`);
        this.#offAt[o] = now;
      }
      this.#on[o] = relays[o];
    }
  }

  #fail(now: number, what: string): void {
    this.violations.push(`${new Date(now).toISOString()}: ${what}`);
  }
}

function rig(c: Case) {
  const clock = new ManualClock();
  const config = checkFermenterConfig({
    id: 'e2e',
    name: 'e2e',
    board: {
      type: 'sim',
      ...c.setup.board,
      faults: c.fromPowerOn ? [{ afterH: 0, fault: c.fault }] : [],
    },
    control: { ...c.setup.control },
    outputs: { ...c.setup.outputs },
  });
  const board = new SimBoard(config.board, clock);
  const fermenter = new Fermenter(config, board, clock);
  const start = clock.now();
  const incidents: Incident[] = [];
  let fresh: Incident[] = [];
  fermenter.on('incident', (i) => {
    incidents.push(i);
    fresh.push(i);
  });
  const relays = new RelayWatch(config, start);
  const welded: Outputs = { heat: false, cool: false };
  const beerBand = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
  let bothCommanded = false;

  /** One control tick a simulated second later; returns the incidents it raised. */
  const tick = () => {
    clock.advance(S);
    fresh = [];
    const state = fermenter.tick();
    const truth = board.truth();
    const forced = fresh.some((i) => i.severity === 'trip' || i.code === 'COBREW_ERR_RELAY_STUCK_ON');
    relays.observe(truth.relays, clock.now(), forced, welded);
    bothCommanded ||= state.outputs.heat && state.outputs.cool;
    beerBand.min = Math.min(beerBand.min, truth.beerC);
    beerBand.max = Math.max(beerBand.max, truth.beerC);
    return { state, truth, raised: fresh };
  };
  const inject = () => {
    if (c.fault.kind === 'relay-welded') welded[c.fault.output] = true;
    if (!c.fromPowerOn) board.inject(c.fault);
  };
  if (c.fromPowerOn && c.fault.kind === 'relay-welded') welded[c.fault.output] = true;
  const resetBand = () => {
    beerBand.min = Number.POSITIVE_INFINITY;
    beerBand.max = Number.NEGATIVE_INFINITY;
  };
  return {
    clock,
    config,
    board,
    fermenter,
    start,
    incidents,
    relays,
    tick,
    inject,
    beerBand,
    resetBand,
    both: () => bothCommanded,
  };
}

type Rig = ReturnType<typeof rig>;

/** Ticks until `until` holds for a tick's result, at most `limitMs`; the tick it held on, or null. */
function runUntil(r: Rig, limitMs: number, until: (t: ReturnType<Rig['tick']>) => boolean) {
  const end = r.clock.now() + limitMs;
  while (r.clock.now() < end) {
    const t = r.tick();
    if (until(t)) return t;
  }
  return null;
}

/** Settle, then bring in the fault; returns when it began. */
function settleAndInject(r: Rig, c: Case): number {
  if (c.fromPowerOn) return r.start;
  runUntil(r, SETTLE_H * H, () => false);
  r.inject();
  return r.clock.now();
}

function expectContext(i: Incident): void {
  expect(i.context.recent.length).toBeGreaterThan(0);
  expect(i.context.recent.at(-1)?.at).toBeLessThanOrEqual(i.at);
  expect(i.context.outputs).toEqual({ heat: expect.any(Boolean), cool: expect.any(Boolean) });
  expect(i.context.settings).toMatchObject({ beerSetpointC: expect.any(Number), safety: expect.any(Object) });
}

function clearError(r: Rig): { code?: string; conditions?: string[] } | null {
  try {
    r.fermenter.guard.clear('e2e');
    return null;
  } catch (e) {
    return e as { code?: string; conditions?: string[] };
  }
}

/** Detection times, for the record. */
const detected: Array<{ fault: string; code: string; severity: string; afterMin: number }> = [];

describe('every simulator fault, end to end', () => {
  it('the relay watch itself catches overlap, min-on, min-off and dead-time breaches', () => {
    const config = checkFermenterConfig({ id: 'w', name: 'w', board: { type: 'sim' } });
    const w = new RelayWatch(config, 0);
    const none: Outputs = { heat: false, cool: false };
    w.observe({ heat: false, cool: true }, 100 * S, false, none); // inside min-off from start-up
    w.observe({ heat: false, cool: false }, 200 * S, false, none); // inside min-on
    w.observe({ heat: true, cool: false }, 300 * S, false, none); // inside the dead time after cooling
    w.observe({ heat: true, cool: true }, 2000 * S, false, none); // together
    expect(w.violations.map((v) => v.slice(v.indexOf(' ') + 1))).toEqual([
      'cool restarted inside min-off',
      'cool stopped inside min-on',
      'heat started inside the dead time after cool',
      'heat and cool on together',
    ]);
  });

  it('covers every fault kind the simulator has', () => {
    expect(new Set(CASES.map((c) => c.fault.kind))).toEqual(new Set(SIM_FAULT_KINDS));
  });

  it.each(CASES)('$name', (c) => {
    const r = rig(c);
    const faultAt = settleAndInject(r, c);
    const e = c.expect;
    const preFault = r.incidents.length;

    if (e.kind === 'copes') {
      r.resetBand();
      runUntil(r, e.forH * H, () => false);
      expect(r.incidents.slice(preFault).filter((i) => i.severity === 'trip')).toEqual([]);
      expect(r.fermenter.guard.status().status).toBe('ok');
      const sp = r.config.control.beerSetpointC;
      expect(r.beerBand.min).toBeGreaterThan(sp - e.bandC);
      expect(r.beerBand.max).toBeLessThan(sp + e.bandC);
      detected.push({ fault: c.name, code: '(none)', severity: '-', afterMin: Number.NaN });
    } else {
      const code = e.kind === 'welded' ? 'COBREW_ERR_RELAY_STUCK_ON' : e.code;
      const severity = e.kind === 'trip' ? 'trip' : 'alarm';
      let incident: Incident | undefined;
      const hit = runUntil(r, DETECT_LIMIT_H * H, (t) => {
        incident = t.raised.find((i) => i.code === code);
        return incident !== undefined;
      });
      expect(hit, `${code} within ${DETECT_LIMIT_H} h`).not.toBeNull();
      if (hit === null || incident === undefined) return;
      expect(incident.severity).toBe(severity);
      expectContext(incident);
      detected.push({
        fault: c.name,
        code,
        severity,
        afterMin: Math.round((incident.at - faultAt) / 60_000),
      });
      // Nothing else tripped before it.
      expect(r.incidents.slice(0, -1).filter((i) => i.severity === 'trip')).toEqual([]);

      if (e.kind === 'trip') {
        if (e.message) expect(incident.message).toMatch(e.message);
        expect(hit.state.outputs).toEqual({ heat: false, cool: false });
        expect(hit.truth.relays).toEqual({ heat: false, cool: false });
        runUntil(r, LATCHED_WATCH_MS, (t) => {
          expect(t.state.safety.status).toBe('tripped');
          expect(t.state.outputs).toEqual({ heat: false, cool: false });
          expect(t.truth.relays).toEqual({ heat: false, cool: false });
          return false;
        });
        if (e.clear === 'refused') {
          expect(clearError(r)).toMatchObject({ code: 'COBREW_ERR_TRIP_PERSISTS', conditions: [code] });
          expect(r.fermenter.guard.status().status).toBe('tripped');
        } else if (e.clear === 'rearms') {
          expect(r.fermenter.guard.clear('e2e')).toContain(code);
          expect(r.fermenter.guard.status().trips).toEqual([]);
        } else {
          // Evidence that only shows while outputs run: the clear re-arms it, and the fault trips again.
          expect(r.fermenter.guard.clear('e2e')).toContain(code);
          const again = runUntil(r, DETECT_LIMIT_H * H, (t) => t.raised.some((i) => i.code === code));
          expect(again, `${code} again after the clear`).not.toBeNull();
          expect(again?.state.outputs).toEqual({ heat: false, cool: false });
        }
      } else if (e.kind === 'welded') {
        expect(incident.context.detail).toMatchObject({ output: e.output });
        expect(incident.message).toMatch(/welded relay\. This guard cannot switch a welded relay off/);
        expect(incident.message).toMatch(/Every other output is held off/);
        expect(hit.state.outputs).toEqual({ heat: false, cool: false });
        expect(hit.truth.relays[e.output]).toBe(true);
        runUntil(r, LATCHED_WATCH_MS, (t) => {
          expect(t.state.outputs).toEqual({ heat: false, cool: false });
          expect(t.truth.relays[e.output]).toBe(true);
          return false;
        });
        expect(clearError(r)).toMatchObject({ code: 'COBREW_ERR_TRIP_PERSISTS', conditions: [code] });
      } else {
        expect(r.fermenter.guard.status()).toMatchObject({ status: 'alarm', trips: [], alarms: [code] });
        r.resetBand();
        let ran = false;
        runUntil(r, 3 * H, (t) => {
          ran ||= t.state.outputs.cool || t.state.outputs.heat;
          expect(t.state.safety.status).toBe('alarm');
          return false;
        });
        expect(ran).toBe(true);
        const sp = r.config.control.beerSetpointC;
        expect(r.beerBand.min).toBeGreaterThan(sp - 0.5);
        expect(r.beerBand.max).toBeLessThan(sp + 0.5);
      }
    }
    expect(r.both()).toBe(false);
    expect(r.relays.violations).toEqual([]);
  });

  it('detection times', () => {
    if (process.env.COBREW_E2E_REPORT) console.table(detected);
    expect(detected.length).toBe(CASES.length);
  });
});
