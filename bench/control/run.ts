// Runs one controller through one scenario on the full control path: simulator → guard checks →
// controller → guard → relays, on a ManualClock stepped one control tick at a time.

import { ManualClock } from '../../common/clock.js';
import type { CascadeTuning } from '../../firmware-bridge/control/cascade.js';
import type { PlannerTuning } from '../../firmware-bridge/control/model-controller.js';
import { cascadeFor, Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { Controller, Outputs, TimingLimits } from '../../firmware-bridge/types.js';
import { BrewPiLegacyController } from '../baselines/brewpi-legacy.js';
import { ThermostatController } from '../baselines/thermostat.js';
import { flatOutS } from './limit.js';
import { type ControllerFigures, FigureCollector, isTargetJump } from './metrics.js';
import type { Scenario } from './scenarios.js';

export const CONTROLLERS = ['cobrew', 'brewpi', 'thermostat'] as const;
export type ControllerName = (typeof CONTROLLERS)[number];

type Factory = (limits: TimingLimits) => Controller;

/** Records what the controller asked for, so guard overrides can be counted. */
function recording(make: Factory, sink: { last: Outputs }): Factory {
  return (limits) => {
    const inner = make(limits);
    return {
      name: inner.name,
      step(input) {
        const out = inner.step(input);
        sink.last = out.request;
        return out;
      },
    };
  };
}

export interface ScenarioRun {
  figures: ControllerFigures;
  /** The flat-out arrival time from the state this run was in at each target jump, s. */
  flatOutS: number[];
}

/** cobrew's settings other than the defaults, for the trade-off curves. */
export interface CobrewVariant {
  chamberMinC?: number;
  planner?: Partial<PlannerTuning>;
  /** The chamber loop's pulse sizes: energy, starts and ripple trade against them. */
  pulses?: Partial<Pick<CascadeTuning, 'coolPulseS' | 'heatPulseS'>>;
}

export function runScenario(
  scenario: Scenario,
  controller: ControllerName,
  seed = 1,
  variant: CobrewVariant = {},
): ScenarioRun {
  const clock = new ManualClock();
  const start = clock.now();
  const config = checkFermenterConfig({
    id: 'bench',
    name: scenario.name,
    board: { type: 'sim', seed, ...scenario.board },
    control: {
      mode: 'profile',
      profile: scenario.profile,
      ...(variant.chamberMinC === undefined ? {} : { chamberMinC: variant.chamberMinC }),
    },
  });
  const ambient = (t: number) => scenario.ambient(t - start);
  const board = new SimBoard(config.board, clock, { ambient });
  const sink = { last: { heat: false, cool: false } as Outputs };
  const factories: Record<ControllerName, Factory> = {
    cobrew: cascadeFor(config, { ...variant.planner, ...variant.pulses }),
    brewpi: () => new BrewPiLegacyController(),
    thermostat: () => new ThermostatController(),
  };
  const fermenter = new Fermenter(config, board, clock, {
    controller: recording(factories[controller], sink),
  });
  const collector = new FigureCollector(fermenter.guard.timing());
  const tickMs = config.control.tickMs;
  const dtS = tickMs / 1000;
  const endMs = start + scenario.days * 86_400_000;
  const flatOut: number[] = [];
  let lastTarget = Number.NaN;
  while (clock.now() < endMs) {
    clock.advance(tickMs);
    const state = fermenter.tick();
    const truth = board.truth();
    const target = state.beerSetpointC ?? Number.NaN;
    if (isTargetJump(lastTarget, target))
      flatOut.push(flatOutS(board.physicsNow(), clock.now(), target, ambient));
    lastTarget = target;
    collector.observe(
      (clock.now() - start) / 1000,
      dtS,
      truth.beerC,
      target,
      truth.relays,
      sink.last,
      state.outputs,
    );
  }
  return { figures: collector.figures(board.truth().energyWh), flatOutS: flatOut };
}
