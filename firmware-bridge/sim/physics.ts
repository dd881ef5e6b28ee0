// Lumped thermal model of a fermenter in a fridge: beer, chamber air, liner, evaporator and heater element,
// stepped by explicit Euler. Every node is a plain number field so the inner loop allocates nothing.
import type { SimBoardConfig } from '../config-schema.js';
import { activityAfter, fermentationHeatJ, INITIAL_ACTIVITY, yeastRate } from './yeast.js';

// Heat capacity of the beer and its vessel, J/(L·K); the fridge's own build is `board.thermal`.
const BEER_J_PER_L_K = 4180; // ~1 kg/L of water-like wort
const VESSEL_J_PER_L_K = 125; // a plastic fermenter: ~2.5 kJ/K for 20 L
const DOOR_OPEN_UA = 25;

// Heater element: sized from its power so it runs ~60 °C above its surroundings at full power, with a
// 90 s time constant: a little lag, as from a ceramic heater or a heat wrap.
const HEATER_OVERTEMP_K = 60;
const HEATER_TAU_S = 90;
const VESSEL_SHARE = 0.85; // a wrap on the fermenter: most heat into the beer, the rest into the air
const FLOOR_SHARE = 0.4; // a chamber heater lying on the floor loses part of its heat into the liner

// Compressor capacity falls as the evaporating temperature drops; without this a welded relay would
// drive the cabinet towards -90 °C. Full capacity at -10 °C and above, none at -35 °C.
const EVAP_ZERO_C = -35;
const EVAP_DERATE_PER_C = 1 / 25;

export interface PhysicsFaults {
  readonly doorOpen: boolean;
  readonly compressorDead: boolean;
  readonly heaterDetached: boolean;
}

export class Physics {
  beerC: number;
  chamberC: number;
  wallC: number;
  evaporatorC: number;
  heaterC: number;
  /** Logistic yeast activity, from INITIAL_ACTIVITY to 1. */
  activity: number;
  /** Electrical energy used, J. */
  heatJ = 0;
  coolJ = 0;

  private readonly heaterW: number;
  private readonly coolerW: number;
  private readonly compressorW: number;
  private readonly vesselHeater: boolean;
  private readonly invBeerC: number;
  private readonly invHeaterC: number;
  private readonly heaterUA: number;
  private readonly beerUA: number;
  private readonly pitchAt: number;
  private readonly og: number;
  private readonly gravityDrop: number;
  /** Joules released per unit of activity gained. */
  private readonly joulesPerActivity: number;
  private readonly chamberJPerK: number;
  private readonly wallJPerK: number;
  private readonly evapJPerK: number;
  private readonly chamberWallUA: number;
  private readonly wallRoomUA: number;
  private readonly leakUA: number;
  private readonly evapUA: number;
  private readonly compressorDelayS: number;
  /** Seconds the compressor relay has been closed; it lifts heat only after compressorDelayS. */
  private coolOnS = 0;

  // Switched by faults.
  private doorUA = 0;
  private liftW: number;
  private heaterToBeerUA = 0;
  private heaterToAirUA = 0;
  private heaterToWallUA = 0;

  constructor(cfg: SimBoardConfig, t0: number) {
    this.beerC = cfg.startBeerC;
    // The fridge has been holding this beer: every node starts at its temperature, so there is no jolt.
    this.chamberC = cfg.startBeerC;
    this.wallC = cfg.startBeerC;
    this.evaporatorC = cfg.startBeerC;
    this.heaterC = cfg.startBeerC;
    this.heaterW = cfg.heaterW;
    this.coolerW = cfg.coolerW;
    this.liftW = cfg.coolerW;
    this.compressorW = cfg.compressorW;
    this.vesselHeater = cfg.heaterMount === 'vessel';
    this.invBeerC = 1 / (cfg.volumeL * (BEER_J_PER_L_K + VESSEL_J_PER_L_K));
    // Surface area, hence conductance, grows with volume^(2/3).
    const th = cfg.thermal;
    this.beerUA = th.beerUAAt20L * (cfg.volumeL / 20) ** (2 / 3);
    this.chamberJPerK = th.chamberJPerK;
    this.wallJPerK = th.wallJPerK;
    this.evapJPerK = th.evaporatorJPerK;
    this.chamberWallUA = th.chamberWallUA;
    this.wallRoomUA = th.wallRoomUA;
    this.leakUA = th.leakUA;
    this.evapUA = th.evaporatorUA;
    this.compressorDelayS = th.compressorDelayS;
    this.heaterUA = Math.max(cfg.heaterW, 1) / HEATER_OVERTEMP_K;
    this.invHeaterC = 1 / (this.heaterUA * HEATER_TAU_S);
    this.og = cfg.originalGravity;
    this.gravityDrop = Math.max(0, cfg.originalGravity - cfg.finalGravity);
    this.joulesPerActivity =
      fermentationHeatJ(cfg.volumeL, cfg.originalGravity, cfg.finalGravity) / (1 - INITIAL_ACTIVITY);
    const delayS = cfg.fermentationDelayH * 3600;
    this.pitchAt = delayS >= 0 ? t0 : t0 - delayS * 1000;
    // Already pitched: fast-forward the yeast at the starting temperature.
    this.activity =
      delayS > 0 ? activityAfter(INITIAL_ACTIVITY, yeastRate(cfg.startBeerC), delayS) : INITIAL_ACTIVITY;
    this.configure({ doorOpen: false, compressorDead: false, heaterDetached: false });
  }

  /** Re-derive the fault-dependent couplings; called when faults change, never per step. */
  configure(f: PhysicsFaults): void {
    this.doorUA = f.doorOpen ? DOOR_OPEN_UA : 0;
    this.liftW = f.compressorDead ? 0 : this.coolerW;
    const ua = this.heaterUA;
    const toBeer = this.vesselHeater && !f.heaterDetached ? VESSEL_SHARE : 0;
    const toWall = !this.vesselHeater && f.heaterDetached ? FLOOR_SHARE : 0;
    this.heaterToBeerUA = ua * toBeer;
    this.heaterToWallUA = ua * toWall;
    this.heaterToAirUA = ua * (1 - toBeer - toWall);
  }

  /** Advance dt seconds from clock time t with the given relay states and room temperature. */
  step(t: number, dt: number, ambientC: number, heat: boolean, cool: boolean): void {
    const b = this.beerC;
    const c = this.chamberC;
    const w = this.wallC;
    const e = this.evaporatorC;
    const h = this.heaterC;

    let fermW = 0;
    if (t >= this.pitchAt) {
      const a = this.activity;
      const rate = yeastRate(b) * a * (1 - a);
      this.activity = a + rate * dt;
      fermW = rate * this.joulesPerActivity;
    }
    if (cool) this.coolJ += this.compressorW * dt;
    let heaterW = 0;
    if (heat) {
      heaterW = this.heaterW;
      this.heatJ += heaterW * dt;
    }
    let liftW = 0;
    this.coolOnS = cool ? this.coolOnS + dt : 0;
    if (cool && this.coolOnS > this.compressorDelayS) {
      let f = (e - EVAP_ZERO_C) * EVAP_DERATE_PER_C;
      if (f > 1) f = 1;
      else if (f < 0) f = 0;
      liftW = this.liftW * f;
    }

    const beerToAir = this.beerUA * (b - c);
    const airToWall = this.chamberWallUA * (c - w);
    const wallToRoom = this.wallRoomUA * (w - ambientC);
    const evapToAir = this.evapUA * (e - c);
    const airToRoom = (this.doorUA + this.leakUA) * (c - ambientC);
    const heaterToBeer = this.heaterToBeerUA * (h - b);
    const heaterToAir = this.heaterToAirUA * (h - c);
    const heaterToWall = this.heaterToWallUA * (h - w);

    this.beerC = b + dt * (fermW + heaterToBeer - beerToAir) * this.invBeerC;
    this.chamberC =
      c + (dt * (beerToAir - airToWall + evapToAir - airToRoom + heaterToAir)) / this.chamberJPerK;
    this.wallC = w + (dt * (airToWall - wallToRoom + heaterToWall)) / this.wallJPerK;
    this.evaporatorC = e - (dt * (evapToAir + liftW)) / this.evapJPerK;
    this.heaterC = h + dt * (heaterW - heaterToBeer - heaterToAir - heaterToWall) * this.invHeaterC;
  }

  /** An independent copy in the same state, to ask "what if" without disturbing this one. */
  clone(): Physics {
    return Object.assign(Object.create(Physics.prototype) as Physics, this);
  }

  /** Fermentation heat at this instant, W. */
  fermentationW(t: number): number {
    if (t < this.pitchAt) return 0;
    const a = this.activity;
    return yeastRate(this.beerC) * a * (1 - a) * this.joulesPerActivity;
  }

  gravity(): number {
    return this.og - (this.gravityDrop * (this.activity - INITIAL_ACTIVITY)) / (1 - INITIAL_ACTIVITY);
  }
}
