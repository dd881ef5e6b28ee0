// A BrewPi board on legacy firmware 0.2.x at the far end of a SerialPortMock, written for the tests from the
// protocol facts: it answers n, t, s, c, v, d{}, l and j{…} as the firmware does, keeps its mode and
// setpoints in "EEPROM" (they survive power cycles), and runs a small model of its loop once a second:
// beer PID → fridge setting → heat or cool with ±1 °C idle band, on a trivial fridge-and-beer plant.
import type { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { SerialDevice } from '../firmata/serial-device.js';

type Mode = 'b' | 'f' | 'p' | 'o' | 't';
const STATE = { IDLE: 0, OFF: 1, HEATING: 3, COOLING: 4 } as const;

export const SENSOR_ADDRESSES = { fridge: '28C2A1D3040000A6', beer: '2887F3D304000063' } as const;

export interface BrewPiEmulatorOptions {
  path: string;
  timers: ManualTimers;
  version?: string;
  /** Early 0.2.x: `n` answers a bare version and there is no device manager (`d{}` unanswered). */
  early?: boolean;
  tempFormat?: 'C' | 'F';
  bootMs?: number;
  mode?: Mode;
  beerSet?: number;
  fridgeSet?: number;
  beer?: number;
  fridge?: number;
  room?: number;
}

const two = (n: number) => n.toFixed(2);
const orNull = (v: number | null) => (v === null ? 'null' : two(v));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class BrewPiEmulator extends SerialDevice {
  readonly version: string;
  readonly early: boolean;
  readonly tempFormat: 'C' | 'F';
  // EEPROM: survives power cycles.
  mode: Mode;
  beerSet: number;
  fridgeSet: number;
  // The plant: true temperatures, and which probes answer.
  beer: number;
  fridge: number;
  room: number;
  probes = { beer: true, fridge: true, room: true };
  relays = { heat: false, cool: false };
  state: number = STATE.IDLE;
  /** Every command the board received, as sent (`t`, `j{mode:o}`…). */
  readonly commands: string[] = [];
  /** The next this many `j{…}` commands are lost on the line. */
  loseSettings = 0;
  /**
   * EEPROM writes of the control settings, as the firmware makes them: on every mode it is given, and on
   * every beer setpoint change outside profile mode (in profile mode the host moves it, so it is not stored).
   */
  eepromWrites = 0;
  #bootMs: number;
  #running = false;
  #rx = '';
  #fridgeSetting: number | null = null;

  constructor(opts: BrewPiEmulatorOptions) {
    super(opts.path, opts.timers);
    this.version = opts.version ?? '0.2.11';
    this.early = opts.early ?? false;
    this.tempFormat = opts.tempFormat ?? 'C';
    this.#bootMs = opts.bootMs ?? 0;
    this.mode = opts.mode ?? 'b';
    this.beerSet = opts.beerSet ?? 20;
    this.fridgeSet = opts.fridgeSet ?? 20;
    this.beer = opts.beer ?? 20;
    this.fridge = opts.fridge ?? 20;
    this.room = opts.room ?? 18;
  }

  /** Settings commands received (`j{…}`), in order. */
  get settingsCommands(): string[] {
    return this.commands.filter((c) => c.startsWith('j'));
  }

  protected boot(): void {
    this.#running = false;
    this.#rx = '';
    this.later(this.#bootMs, () => {
      this.#running = true;
      this.every(1000, () => this.#loop());
    });
  }

  protected powerOff(): void {
    this.#running = false;
    this.relays = { heat: false, cool: false };
    this.state = STATE.IDLE;
  }

  protected hear(bytes: Buffer): void {
    if (!this.#running) return;
    this.#rx += bytes.toString('latin1');
    for (;;) {
      const rx = this.#rx.replace(/^[\s]+/, '');
      if (rx === '') {
        this.#rx = '';
        return;
      }
      const letter = rx[0] as string;
      if ('jdhU'.includes(letter)) {
        const end = rx.indexOf('}');
        if (end < 0) {
          this.#rx = rx;
          return;
        }
        this.#rx = rx.slice(end + 1);
        this.#command(rx.slice(0, end + 1));
      } else {
        this.#rx = rx.slice(1);
        this.#command(letter);
      }
    }
  }

  #line(text: string): void {
    this.emit(`${text}\n`);
  }

  #command(cmd: string): void {
    this.commands.push(cmd);
    if (cmd[0] === 'j') this.#settings(cmd.slice(2, -1));
    else {
      const reply = this.#reply(cmd);
      if (reply !== null) this.#line(reply);
    }
  }

  /** The firmware's answer to a query; null when it has none. */
  #reply(cmd: string): string | null {
    switch (cmd[0]) {
      case 'n':
        return this.early
          ? `N:${this.version}`
          : `N:{"v":"${this.version}","n":"6e1e7ae","s":1,"y":0,"b":"s","l":"1"}`;
      case 't':
        return this.#temperatures();
      case 's':
        return (
          `S:{"mode":"${this.mode}","beerSet":${two(this.beerSet)},"fridgeSet":${two(this.fridgeSet)},` +
          '"heatEst":0.199,"coolEst":5.000}'
        );
      case 'c':
        return (
          `C:{"tempFormat":"${this.tempFormat}","tempSetMin":1.0,"tempSetMax":30.0,"pidMax":10.0,"Kp":5.000,` +
          '"Ki":0.250,"Kd":-1.500,"iMaxErr":0.500,"idleRangeH":1.000,"idleRangeL":-1.000}'
        );
      case 'v':
        return (
          'V:{"beerDiff":0.00,"diffIntegral":0.000,"beerSlope":0.000,"p":0.000,"i":0.000,"d":0.000,' +
          '"estPeak":20.00,"negPeakEst":0.00,"posPeakEst":0.00,"negPeak":0.00,"posPeak":0.00}'
        );
      case 'l':
        return (
          `L:["Mode   ${this.mode === 'o' ? 'Off        ' : 'Beer Const.'}","Beer   ${two(this.beer)} ${two(this.beerSet)} \u00B0C",` +
          `"Fridge ${two(this.fridge)} ${orNull(this.#fridgeSetting)} \u00B0C","State ${this.state}"]`
        );
      case 'd':
        if (this.early || cmd !== 'd{}') return null;
        return (
          `d:[{"i":0,"c":1,"b":0,"f":5,"h":2,"p":10,"x":false,"d":0,"a":"${SENSOR_ADDRESSES.fridge}","j":0.000},` +
          `{"i":1,"c":1,"b":1,"f":9,"h":2,"p":10,"x":false,"d":0,"a":"${SENSOR_ADDRESSES.beer}","j":0.000},` +
          '{"i":2,"c":1,"b":0,"f":2,"h":1,"p":6,"x":true,"d":0}]'
        );
      default:
        return null;
    }
  }

  #temperatures(): string {
    const beer = this.probes.beer ? this.beer : null;
    const fridge = this.probes.fridge ? this.fridge : null;
    const room = this.probes.room ? this.room : null;
    const beerSet = this.mode === 'b' || this.mode === 'p' ? this.beerSet : null;
    return (
      `T:{"BeerTemp":${orNull(beer)},"BeerSet":${orNull(beerSet)},"BeerAnn":null,"FridgeTemp":${orNull(fridge)},` +
      `"FridgeSet":${orNull(this.#fridgeSetting)},"FridgeAnn":null,"RoomTemp":${orNull(room)},"State":${this.state}}`
    );
  }

  /** `mode:b, beerSet:18.5`: keys unquoted as the firmware parses them; unknown keys are ignored. */
  #settings(body: string): void {
    if (this.loseSettings > 0) {
      this.loseSettings--;
      return;
    }
    for (const pair of body.split(',')) {
      const [key, raw] = pair.split(':').map((s) => s.trim());
      if (key === undefined || raw === undefined || key.startsWith('"')) continue;
      const value = raw.replace(/^"(.*)"$/, '$1');
      if (key === 'mode' && ['b', 'f', 'p', 'o', 't'].includes(value)) {
        this.mode = value as Mode;
        this.eepromWrites++;
      }
      if (key === 'beerSet' && Number.isFinite(Number(value))) {
        if (this.mode !== 'p' && Number(value) !== this.beerSet) this.eepromWrites++;
        this.beerSet = Number(value);
      }
      if (key === 'fridgeSet' && Number.isFinite(Number(value))) this.fridgeSet = Number(value);
    }
    // The firmware logs what it changed.
    this.#line('D:{"logType":"I","logID":9,"V":[]}');
  }

  /** One second of the firmware's loop and of the plant. */
  #loop(): void {
    const { heat, cool } = this.relays;
    this.fridge += (heat ? 0.01 : 0) - (cool ? 0.005 : 0) + (this.room - this.fridge) * 0.0005;
    this.beer += (this.fridge - this.beer) * 0.001;
    if (this.mode === 'o') {
      this.#fridgeSetting = null;
      this.#set(STATE.OFF);
      return;
    }
    this.#fridgeSetting =
      this.mode === 'f' ? this.fridgeSet : clamp(this.beerSet + 5 * (this.beerSet - this.beer), 1, 30);
    // A lost fridge probe (or beer probe in beer mode) idles the outputs.
    if (!this.probes.fridge || ((this.mode === 'b' || this.mode === 'p') && !this.probes.beer)) {
      this.#set(STATE.IDLE);
      return;
    }
    const err = this.fridge - this.#fridgeSetting;
    if (this.state === STATE.HEATING) this.#set(err >= 0 ? STATE.IDLE : STATE.HEATING);
    else if (this.state === STATE.COOLING) this.#set(err <= 0 ? STATE.IDLE : STATE.COOLING);
    else this.#set(err < -1 ? STATE.HEATING : err > 1 ? STATE.COOLING : STATE.IDLE);
  }

  #set(state: number): void {
    this.state = state;
    this.relays = { heat: state === STATE.HEATING, cool: state === STATE.COOLING };
  }
}
