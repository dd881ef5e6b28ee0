// Shared vocabulary of the control path: board driver → controller → safety guard → outputs.
// Times are epoch milliseconds from the injected clock; temperatures are °C.

export type Probe = 'beer' | 'chamber' | 'ambient';
export type OutputName = 'heat' | 'cool';

/** One raw DS18B20-style reading as the board reports it, error codes (-127, 85) included. */
export interface SensorSample {
  value: number;
  /** When the conversion that produced this value finished. */
  at: number;
}

/** The latest raw reading of every probe; null when the probe did not answer at all. */
export interface SensorFrame {
  at: number;
  beer: SensorSample | null;
  chamber: SensorSample | null;
  ambient: SensorSample | null;
}

export interface Outputs {
  heat: boolean;
  cool: boolean;
}

export const ALL_OFF: Readonly<Outputs> = Object.freeze({ heat: false, cool: false });

/** The only way to switch a physical output. A board hands its port to the safety guard and to nobody else. */
export interface OutputPort {
  write(outputs: Outputs): void;
}

/** A board driver: sensors are read synchronously from its latest frame, outputs go through its port. */
export interface Board {
  readonly kind: string;
  read(): SensorFrame;
  readonly outputs: OutputPort;
}

/** Readings after the guard's plausibility checks: null means "do not trust this probe now". */
export interface CheckedReadings {
  at: number;
  beer: number | null;
  chamber: number | null;
  ambient: number | null;
}

export type ControlMode = 'off' | 'beer' | 'chamber' | 'profile';
/**
 * A profile looked ahead: how far its ramps move the target (°C) over the look-ahead, and the slope there
 * (°C/s). Holds and the jumps between them are not looked ahead: a new target is still arrived at from the
 * moment it is set.
 */
export interface ProfileAhead {
  moveC: number;
  slopeCPerS: number;
}

/** What the controller is asked to do this tick; a profile is resolved to a beer target upstream. */
export type ControlTarget =
  | { mode: 'off' }
  | {
      mode: 'beer';
      beerC: number /** °C per second the target is moving (profile ramps), 0 when holding */;
      slopeCPerS: number;
      /** Set while a temperature profile drives the target (a board with its own profile mode uses it). */
      profile?: true;
      /** Set while a profile drives the target: where its ramps take the target over the next `leadS` seconds. */
      ahead?: (leadS: number) => ProfileAhead;
    }
  | { mode: 'chamber'; chamberC: number };

/** Output timing the guard enforces; controllers receive it so they can plan within it instead of being overridden. */
export interface OutputTiming {
  minOnS: number;
  minOffS: number;
  maxOnS: number;
}

export interface TimingLimits {
  heat: OutputTiming;
  cool: OutputTiming;
  /** Minimum seconds between one output switching off and the other switching on. */
  interlockDeadS: number;
  /** Outputs fitted and allowed to run (`outputs.<name>.enabled`); absent means both. A disabled one is never asked for. */
  enabled?: { heat: boolean; cool: boolean };
}

export interface ControlInput {
  now: number;
  readings: CheckedReadings;
  target: ControlTarget;
  /** Outputs as the guard actually applied them on the previous tick. */
  applied: Outputs;
}

export interface ControlOutput {
  request: Outputs;
  /** The chamber temperature the controller is steering to, when it has one. */
  chamberTargetC: number | null;
  /** Short machine-readable state, e.g. idle, heating, cooling, waiting-to-cool. */
  state: string;
  /** While waiting to cool or heat: seconds until that output may start, as far as the controller knows. */
  waitS?: number;
}

/** A control algorithm. Pure: all time comes from `now`, all memory lives in the instance. */
export interface Controller {
  readonly name: string;
  step(input: ControlInput): ControlOutput;
  /** What the controller has learnt of the fermenter, when it learns a model (cobrew's does). */
  thermalModel?(): ThermalModelSummary;
}

/** What the model has learnt, as the fermenter's state publishes it. Rates are per hour at full output. */
export interface ThermalModelSummary {
  /** Cooling can be planned with the model (else the cascade alone runs). */
  converged: boolean;
  /** Heating can be planned with the model. */
  heatConverged: boolean;
  /** 0–1: one minus the worst relative standard deviation of the key parameters. */
  confidence: number;
  /** Hours of readings the model has learnt from. */
  learntH: number;
  /** The beer's time constant in the chamber air, hours. */
  beerTauH: number | null;
  /** The chamber air's own time constant towards beer, liner and room, hours. */
  chamberTauH: number | null;
  /** How fast the compressor cools the chamber air, °C/h (negative). */
  coolingCPerH: number | null;
  /** How fast the heater warms its target (the air, or the beer on a vessel heater), °C/h. */
  heatingCPerH: number | null;
  /** What the heater warms. */
  heaterWarms: 'chamber' | 'beer';
  /** How fast the room pulls the chamber, per hour per °C of difference. */
  roomCouplingPerH: number | null;
  /** The beer's own warming (fermentation heat), °C/h. */
  fermentationCPerH: number | null;
  /** Seconds from the compressor starting until its cold begins to show. */
  compressorDelayS: number;
  /** The evaporator's lag after that, seconds. */
  compressorLagS: number;
  /** How far the beer really coasts after a stop against the model's prediction, learnt from each coast. */
  coastGain: number;
  /** How many finished coasts the gain has learnt from. */
  coastsSeen: number;
  /** RMS one-step residuals, °C per window (beer: 10 min, chamber: 1 min). */
  residualC: { beer: number | null; chamber: number | null };
}

/** Typed safety codes, e.g. COBREW_ERR_SENSOR_STALE. */
export type SafetyCode = `COBREW_ERR_${string}`;

export interface Incident {
  /** Unique per fermenter, increasing. */
  id: number;
  fermenterId: string;
  code: SafetyCode;
  /** trip: outputs forced safe and latched; alarm: told to a person, outputs untouched by the alarm itself. */
  severity: 'trip' | 'alarm';
  at: number;
  /** What happened and what a person should do, in English. */
  message: string;
  context: {
    /** The last readings before the incident, oldest first. */
    recent: Array<{ at: number; beer: number | null; chamber: number | null; ambient: number | null }>;
    outputs: Outputs;
    settings: Record<string, unknown>;
    detail?: Record<string, unknown>;
  };
}

export interface SafetyStatus {
  /** ok: normal; alarm: running, but a person should look; tripped: outputs latched safe until cleared. */
  status: 'ok' | 'alarm' | 'tripped';
  trips: SafetyCode[];
  alarms: SafetyCode[];
}

/** What drives a fermenter's probes and relays, as its state tells it (status page, MQTT, support report). */
export interface BoardSummary {
  /** The configured board type: sim, cobrew, firmata or brewpi. */
  kind: string;
  /** Board profile: a reference design's id, `custom` for a board built or modified otherwise, `sim`. */
  profile: string;
  /** Not the reference design: a custom profile, or a board reporting another profile than configured. */
  modified: boolean;
  /** Each difference from the reference design, in words. */
  deviations: string[];
  /** Firmware name and version as the board reported them, once it has. */
  firmware?: string;
  connected: boolean;
  /** What the board itself reports that needs a person's attention (e.g. a low brown-out level). */
  warnings?: string[];
}

/** A profile step as the state shows it: control.profile's step (config-schema.ts), which imports this file. */
export interface ProfileStepShown {
  type: 'hold' | 'ramp';
  targetC: number;
  durationH: number;
  until?: { minH: number; gravityAtMost?: number; stableH?: number; stablePoints: number };
}

/** How far a running profile has got and how long it has to go, as a person reads it. */
export interface ProfileView {
  /** Index (from 0) of the step running. */
  step: number;
  steps: number;
  held: boolean;
  /** The step running, its duration including any extension. */
  current: ProfileStepShown;
  /** The steps still to come, as they would be edited. */
  next: ProfileStepShown[];
  /** Time the step has run, held time left out. */
  stepElapsedS: number;
  /** At most (a gravity condition may end it sooner). */
  stepRemainingS: number;
  /** Left in the whole profile, at most; a held step adds to it as long as it is held. */
  remainingS: number;
  /** When the profile ends at the latest if nothing changes (the fermenter's clock). */
  endsAt: number;
}

/** One fermenter's state as published on cobrew/fermenter/<id>/state. */
export interface FermenterState {
  id: string;
  name: string;
  at: number;
  beerC: number | null;
  chamberC: number | null;
  ambientC: number | null;
  mode: ControlMode;
  beerSetpointC: number | null;
  chamberSetpointC: number | null;
  outputs: Outputs;
  controllerState: string;
  /**
   * While the controller waits to cool or heat, seconds until that output may start (the compressor's rest,
   * the interlock, or the demand still building up); null otherwise. Always set by this bridge, absent
   * from older ones.
   */
  controllerWaitS?: number | null;
  safety: SafetyStatus;
  gravity: number | null;
  /** Battery of the hydrometer that reports the gravity, volts. */
  hydrometerBatteryV: number | null;
  /**
   * Index (from 0) of the profile step running; null when none runs: not in profile mode, waiting for the
   * first beer reading, or the profile has finished. Always set by this bridge, absent from older ones.
   */
  profileStep?: number | null;
  /**
   * Progress and time left of the running profile step; null when none runs (as profileStep). Always set by
   * this bridge, absent from older ones.
   */
  profile?: ProfileView | null;
  /** The board behind it; always set by this bridge, absent from older ones. */
  board?: BoardSummary;
  /** The fermenter's thermal model as the controller has learnt it; null when its controller learns none. */
  thermalModel?: ThermalModelSummary | null;
}
