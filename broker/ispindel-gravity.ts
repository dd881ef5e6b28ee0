// From what an iSpindel sends to a specific gravity, per device: the unit its formula outputs (SG or
// °Plato: the firmware's default formula gives °Plato), or cobrew's own calibration polynomial on the
// tilt angle (fitted from angle → gravity points, as Fermentrack does), then the hydrometer temperature
// correction. Pure functions; errors are IspindelValueError with the reason and the fix.
import { IspindelValueError } from './ispindel-errors.js';

export type GravityUnit = 'sg' | 'plato';

/** What cobrew.yaml says about one iSpindel's gravity. */
export interface GravitySettings {
  unit?: GravityUnit;
  /** Calibration points (tilt angle in degrees → specific gravity); 2 or more make a polynomial. */
  calibration?: { points: readonly { angle: number; gravity: number }[]; degree?: number };
  /** The temperature the readings are true at (°C); readings at other temperatures are corrected. */
  calibratedAtC?: number;
}

const SG_RANGE = [0.98, 1.2] as const;
const PLATO_RANGE = [-2, 40] as const;

/** °Plato to specific gravity (the common inverse of the ASBC polynomial). */
export function platoToSg(plato: number): number {
  return 1 + plato / (258.6 - (plato / 258.2) * 227.1);
}

/**
 * Specific gravity from the gravity field. 0 is what the firmware sends when its formula fails, and is
 * refused. With a unit, the value must fit it; without one, a value between 0.98 and 1.2 could be SG or
 * °Plato (a beer at 1 °P is SG 1.004), so it is refused until the unit is set; outside it, °Plato.
 */
export function toSpecificGravity(name: string, value: number, unit?: GravityUnit): number {
  if (value === 0) {
    throw new IspindelValueError(
      name,
      'gravity',
      '0',
      'the iSpindel sends 0 when its formula fails (none set, or one that does not compute); set the formula in its portal, or calibrate it in cobrew (`calibration:` under `ispindels:`)',
    );
  }
  const [sgLo, sgHi] = SG_RANGE;
  const [pLo, pHi] = PLATO_RANGE;
  if (unit === 'sg') {
    if (value < sgLo || value > sgHi) {
      throw new IspindelValueError(
        name,
        'gravity',
        String(value),
        `outside ${sgLo}…${sgHi} for an iSpindel set to \`unit: sg\`; if its formula gives °Plato, set \`unit: plato\``,
      );
    }
    return value;
  }
  if (unit === 'plato') {
    if (value < pLo || value > pHi) {
      throw new IspindelValueError(
        name,
        'gravity',
        String(value),
        `outside ${pLo}…${pHi} °P for an iSpindel set to \`unit: plato\`; if its formula gives SG, set \`unit: sg\``,
      );
    }
    return platoToSg(value);
  }
  if (value >= sgLo && value <= sgHi) {
    throw new IspindelValueError(
      name,
      'gravity',
      String(value),
      `could be a specific gravity or °Plato; set \`unit: sg\` or \`unit: plato\` for "${name}" under \`ispindels:\` in cobrew.yaml (the iSpindel's default formula gives °Plato)`,
    );
  }
  if (value >= pLo && value <= pHi) return platoToSg(value);
  throw new IspindelValueError(
    name,
    'gravity',
    String(value),
    `neither a specific gravity (${sgLo}…${sgHi}) nor °Plato (${pLo}…${pHi})`,
  );
}

/**
 * Least-squares polynomial through the points, lowest power first. The degree is at most the number of
 * points less one (and at most 3, as calibration tools offer); solved by Gaussian elimination with
 * partial pivoting on the normal equations, which is exact enough for degrees this small.
 */
export function fitPolynomial(points: readonly { x: number; y: number }[], degree: number): number[] {
  const n = Math.min(degree, points.length - 1, 3);
  if (n < 1) throw new RangeError('a calibration needs at least two points');
  const size = n + 1;
  // The augmented normal equations: Σ x^(r+c) · a_c = Σ y · x^r.
  const m: number[][] = [];
  for (let r = 0; r < size; r++) {
    const row: number[] = [];
    for (let c = 0; c < size; c++) row.push(points.reduce((s, p) => s + p.x ** (r + c), 0));
    row.push(points.reduce((s, p) => s + p.y * p.x ** r, 0));
    m.push(row);
  }
  const row = (i: number) => m[i] as number[];
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) {
      if (Math.abs(row(r)[col] as number) > Math.abs(row(pivot)[col] as number)) pivot = r;
    }
    [m[col], m[pivot]] = [row(pivot), row(col)];
    const p = row(col)[col] as number;
    if (Math.abs(p) < 1e-12) throw new RangeError('the calibration points do not determine a polynomial');
    for (let r = 0; r < size; r++) {
      if (r === col) continue;
      const f = (row(r)[col] as number) / p;
      m[r] = row(r).map((v, c) => v - f * (row(col)[c] as number));
    }
  }
  return m.map((r, i) => (r[size] as number) / (r[i] as number));
}

export const evaluatePolynomial = (coefficients: readonly number[], x: number): number =>
  coefficients.reduceRight((acc, c) => acc * x + c, 0);

/** Water density ratio used by hydrometer temperature correction (the usual cubic, in °F). */
function densityFactor(celsius: number): number {
  const f = (celsius * 9) / 5 + 32;
  return 1.00130346 - 0.000134722124 * f + 0.00000204052596 * f ** 2 - 0.00000000232820948 * f ** 3;
}

/** A gravity read at `atC` corrected to what it reads at the calibration temperature. */
export function correctForTemperature(sg: number, atC: number, calibratedAtC: number): number {
  return (sg * densityFactor(atC)) / densityFactor(calibratedAtC);
}

/** One iSpindel's conversion, fitted once from its settings. */
export class DeviceGravity {
  readonly #polynomial: number[] | undefined;

  constructor(
    readonly name: string,
    private readonly settings: GravitySettings,
  ) {
    const cal = settings.calibration;
    this.#polynomial =
      cal === undefined
        ? undefined
        : fitPolynomial(
            cal.points.map((p) => ({ x: p.angle, y: p.gravity })),
            cal.degree ?? 2,
          );
  }

  /** The polynomial's coefficients (lowest power first), when the device is calibrated in cobrew. */
  get polynomial(): readonly number[] | undefined {
    return this.#polynomial;
  }

  /**
   * The specific gravity of one reading: from the angle when calibrated here, else from the gravity
   * field in the device's unit; then corrected for temperature when a calibration temperature is set.
   */
  gravity(reading: { angle?: number; rawGravity?: number; temperatureC?: number }): number | undefined {
    let sg: number;
    if (this.#polynomial !== undefined) {
      if (reading.angle === undefined) return undefined;
      sg = evaluatePolynomial(this.#polynomial, reading.angle);
      if (sg < SG_RANGE[0] || sg > SG_RANGE[1]) {
        throw new IspindelValueError(
          this.name,
          'angle',
          String(reading.angle),
          `the calibration gives SG ${sg.toFixed(4)}, outside ${SG_RANGE[0]}…${SG_RANGE[1]}; check the calibration points`,
        );
      }
    } else {
      if (reading.rawGravity === undefined) return undefined;
      sg = toSpecificGravity(this.name, reading.rawGravity, this.settings.unit);
    }
    const at = this.settings.calibratedAtC;
    if (at !== undefined && reading.temperatureC !== undefined) {
      sg = correctForTemperature(sg, reading.temperatureC, at);
    }
    return sg;
  }
}
