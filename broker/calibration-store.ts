// Hydrometer calibrations set from the dashboard, kept in <data dir>/hydrometer-calibrations.json: an
// iSpindel's calibration points (angle → gravity) and polynomial degree, a Tilt's gravity offset, each with
// who set it and when. They take the place of cobrew.yaml's values for that device until removed, and
// survive restarts. The file is written whole (temporary file renamed over it), one change at a time.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, Type as T } from '@sinclair/typebox';
import { writeSecretFile } from '../common/atomic-file.js';
import { schemaChecker } from '../common/schema-check.js';
import { CalibrationInvalidError } from './errors.js';
import { fitPolynomial } from './ispindel-gravity.js';

export const CalibrationPointSchema = T.Object(
  {
    angle: T.Number({ minimum: 0, maximum: 90, description: 'Tilt angle, degrees' }),
    gravity: T.Number({ minimum: 0.98, maximum: 1.2, description: 'Specific gravity by hydrometer' }),
  },
  { additionalProperties: false },
);

export const IspindelCalibrationSchema = T.Object(
  {
    points: T.Array(CalibrationPointSchema, { minItems: 2, maxItems: 32 }),
    degree: T.Integer({ minimum: 1, maximum: 3, description: 'At most the number of points less one' }),
  },
  { additionalProperties: false },
);
export type IspindelCalibration = Static<typeof IspindelCalibrationSchema>;

export const TiltOffsetSchema = T.Object(
  { gravityOffset: T.Number({ minimum: -0.05, maximum: 0.05, description: 'Added to every gravity' }) },
  { additionalProperties: false },
);
export type TiltOffset = Static<typeof TiltOffsetSchema>;

const Who = { setBy: T.String({ maxLength: 64 }), setAt: T.Number({ description: 'ms since 1970' }) };
const FileSchema = T.Object(
  {
    version: T.Literal(1),
    ispindels: T.Record(T.String(), T.Composite([IspindelCalibrationSchema, T.Object(Who)])),
    tilts: T.Record(T.String(), T.Composite([TiltOffsetSchema, T.Object(Who)])),
  },
  { additionalProperties: false },
);
type CalibrationFile = Static<typeof FileSchema>;

export const CALIBRATIONS_FILE_NAME = 'hydrometer-calibrations.json';
const checkFile = schemaChecker(FileSchema, CALIBRATIONS_FILE_NAME);

/**
 * The polynomial of a calibration and each point's residual (fitted − measured gravity); refuses points
 * that determine none (fewer than degree + 1, or repeated angles) with COBREW_ERR_CALIBRATION_INVALID.
 */
export function fitCalibration(cal: IspindelCalibration): { polynomial: number[]; residuals: number[] } {
  if (cal.points.length < cal.degree + 1) {
    throw new CalibrationInvalidError(
      `a degree ${cal.degree} polynomial needs at least ${cal.degree + 1} points; add points or lower the degree`,
    );
  }
  let polynomial: number[];
  try {
    polynomial = fitPolynomial(
      cal.points.map((p) => ({ x: p.angle, y: p.gravity })),
      cal.degree,
    );
  } catch (err) {
    throw new CalibrationInvalidError(`${(err as Error).message}; give points at different angles`);
  }
  const at = (x: number) => polynomial.reduceRight((acc, c) => acc * x + c, 0);
  return { polynomial, residuals: cal.points.map((p) => at(p.angle) - p.gravity) };
}

export class CalibrationStore {
  #data: CalibrationFile;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    data: CalibrationFile,
  ) {
    this.#data = data;
  }

  /** Reads the file (none yet: no calibrations); a damaged file is refused with its problem. */
  static async open(dataDir: string): Promise<CalibrationStore> {
    const file = join(dataDir, CALIBRATIONS_FILE_NAME);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return new CalibrationStore(file, { version: 1, ispindels: {}, tilts: {} });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new CalibrationInvalidError(`${file} is not JSON (${(err as Error).message}); fix or remove it`);
    }
    return new CalibrationStore(file, checkFile(data));
  }

  ispindel(name: string): (IspindelCalibration & { setBy: string; setAt: number }) | undefined {
    return Object.hasOwn(this.#data.ispindels, name) ? this.#data.ispindels[name] : undefined;
  }

  tilt(colour: string): (TiltOffset & { setBy: string; setAt: number }) | undefined {
    return Object.hasOwn(this.#data.tilts, colour) ? this.#data.tilts[colour] : undefined;
  }

  /** Keeps (or, with null, removes) an iSpindel's calibration; resolves once it is on disk. */
  setIspindel(name: string, cal: IspindelCalibration | null, by: string, at: number): Promise<void> {
    return this.#change((d) => {
      if (cal === null) delete d.ispindels[name];
      else d.ispindels[name] = { points: cal.points, degree: cal.degree, setBy: by, setAt: at };
    });
  }

  setTilt(colour: string, offset: TiltOffset | null, by: string, at: number): Promise<void> {
    return this.#change((d) => {
      if (offset === null) delete d.tilts[colour];
      else d.tilts[colour] = { gravityOffset: offset.gravityOffset, setBy: by, setAt: at };
    });
  }

  #change(edit: (d: CalibrationFile) => void): Promise<void> {
    const run = this.#writing.then(async () => {
      const next = structuredClone(this.#data);
      edit(next);
      await writeSecretFile(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.#data = next;
    });
    this.#writing = run.catch(() => {});
    return run;
  }
}
