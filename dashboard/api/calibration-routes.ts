// Hydrometer calibration from the dashboard: an iSpindel's calibration points (angle → gravity by
// hydrometer) with the fitted polynomial and each point's residual, and a Tilt's gravity offset. Anyone
// logged in sees them; brewers and admins try a fit, save or remove. A saved value takes the place of
// cobrew.yaml's for that device from its next reading and survives restarts (broker/calibration-store.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import {
  type CalibrationStore,
  fitCalibration,
  IspindelCalibrationSchema,
  TiltOffsetSchema,
} from '../../broker/calibration-store.js';
import { type IspindelRouter, IspindelUnmappedError } from '../../broker/ispindel-listener.js';
import { type TiltRouter, TiltUnmappedError } from '../../broker/tilt.js';
import { errorResponses } from '../../common/error-schema.js';

export interface CalibrationRoutesOptions {
  store: CalibrationStore;
  ispindels: IspindelRouter;
  tilts: TiltRouter;
  now: () => number;
}

const FitSchema = T.Object({
  polynomial: T.Array(T.Number(), { description: 'Coefficients, lowest power first: SG = Σ c_i · angle^i' }),
  residuals: T.Array(T.Number(), { description: 'Per point, fitted − measured gravity' }),
});
const Source = T.Union([T.Literal('config'), T.Literal('dashboard')], {
  description: 'cobrew.yaml, or set from the dashboard (in its place until removed)',
});
const SetBy = {
  setBy: T.Optional(T.String()),
  setAt: T.Optional(T.Number({ description: 'ms since 1970' })),
};
const IspindelEntry = T.Object({
  name: T.String(),
  fermenter: T.String(),
  unit: T.Optional(T.String()),
  source: Source,
  calibration: T.Optional(IspindelCalibrationSchema),
  fit: T.Optional(FitSchema),
  ...SetBy,
});
const TiltEntry = T.Object({
  colour: T.String(),
  fermenter: T.String(),
  gravityOffset: T.Number(),
  source: Source,
  ...SetBy,
});
const HydrometersSchema = T.Object({ ispindels: T.Array(IspindelEntry), tilts: T.Array(TiltEntry) });
const NameParams = T.Object({ name: T.String({ maxLength: 64 }) });
const ColourParams = T.Object({ colour: T.String({ maxLength: 16 }) });

export const calibrationRoutes: FastifyPluginAsyncTypebox<CalibrationRoutesOptions> = async (app, opts) => {
  const { store, ispindels, tilts } = opts;

  const ispindelEntry = (name: string) => {
    const d = ispindels.devices().find((x) => x.name === name);
    if (d === undefined) throw new IspindelUnmappedError(name, name);
    const saved = d.source === 'dashboard' ? store.ispindel(name) : undefined;
    const calibration = d.calibration && { points: [...d.calibration.points], degree: d.calibration.degree };
    return {
      name: d.name,
      fermenter: d.fermenter,
      ...(d.unit === undefined ? {} : { unit: d.unit }),
      source: d.source,
      ...(calibration === undefined ? {} : { calibration, fit: fitCalibration(calibration) }),
      ...(saved === undefined ? {} : { setBy: saved.setBy, setAt: saved.setAt }),
    };
  };
  const tiltEntry = (colour: string) => {
    const d = tilts.devices().find((x) => x.colour === colour);
    if (d === undefined) throw new TiltUnmappedError(colour, colour);
    const saved = d.source === 'dashboard' ? store.tilt(colour) : undefined;
    return { ...d, ...(saved === undefined ? {} : { setBy: saved.setBy, setAt: saved.setAt }) };
  };
  const userName = (req: { user?: { name: string } | null }) => req.user?.name ?? '';

  app.get(
    '/api/hydrometers',
    {
      schema: {
        tags: ['hydrometers'],
        summary: 'The iSpindels and Tilts with their calibration in force',
        response: { 200: HydrometersSchema, ...errorResponses(401) },
      },
    },
    async () => ({
      ispindels: ispindels.devices().map((d) => ispindelEntry(d.name)),
      tilts: tilts.devices().map((d) => tiltEntry(d.colour)),
    }),
  );

  app.post(
    '/api/hydrometers/ispindels/:name/fit',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['hydrometers'],
        summary: 'Fit a polynomial to calibration points without saving it: its coefficients and residuals',
        params: NameParams,
        body: IspindelCalibrationSchema,
        response: { 200: FitSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      ispindelEntry(req.params.name);
      return fitCalibration(req.body);
    },
  );

  app.put(
    '/api/hydrometers/ispindels/:name/calibration',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['hydrometers'],
        summary: "Save an iSpindel's calibration, in place of cobrew.yaml's, from its next reading",
        params: NameParams,
        body: IspindelCalibrationSchema,
        response: { 200: IspindelEntry, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { name } = req.params;
      ispindelEntry(name);
      fitCalibration(req.body);
      await store.setIspindel(name, req.body, userName(req), opts.now());
      ispindels.calibrate(name, req.body);
      req.log.info({ user: userName(req), ispindel: name, calibration: req.body }, 'iSpindel calibrated');
      return ispindelEntry(name);
    },
  );

  app.delete(
    '/api/hydrometers/ispindels/:name/calibration',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['hydrometers'],
        summary: "Remove the dashboard's calibration: cobrew.yaml's applies again",
        params: NameParams,
        response: { 200: IspindelEntry, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const { name } = req.params;
      ispindelEntry(name);
      await store.setIspindel(name, null, userName(req), opts.now());
      ispindels.calibrate(name, null);
      req.log.info({ user: userName(req), ispindel: name }, 'iSpindel calibration removed');
      return ispindelEntry(name);
    },
  );

  app.put(
    '/api/hydrometers/tilts/:colour/offset',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['hydrometers'],
        summary: "Save a Tilt's gravity offset, in place of cobrew.yaml's",
        params: ColourParams,
        body: TiltOffsetSchema,
        response: { 200: TiltEntry, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { colour } = req.params;
      tiltEntry(colour);
      await store.setTilt(colour, req.body, userName(req), opts.now());
      tilts.setOffset(colour, req.body.gravityOffset);
      req.log.info({ user: userName(req), tilt: colour, ...req.body }, 'Tilt offset set');
      return tiltEntry(colour);
    },
  );

  app.delete(
    '/api/hydrometers/tilts/:colour/offset',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags: ['hydrometers'],
        summary: "Remove the dashboard's offset: cobrew.yaml's applies again",
        params: ColourParams,
        response: { 200: TiltEntry, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const { colour } = req.params;
      tiltEntry(colour);
      await store.setTilt(colour, null, userName(req), opts.now());
      tilts.setOffset(colour, null);
      return tiltEntry(colour);
    },
  );
};
