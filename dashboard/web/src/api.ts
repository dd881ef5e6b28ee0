// The HTTP API as the page uses it: JSON in and out, the session cookie, and the CSRF token on every
// request that changes something. Errors keep the server's code and message (one shape everywhere).
import type { Static } from '@sinclair/typebox';
import type { RotaSlot } from '../../../alerts/config-schema.js';
import type { Contact, SpaceDefaults } from '../../../alerts/contact-schema.js';
import type { IncidentSchema } from '../../../broker/incident-schema.js';
import type { FermenterStateSchema } from '../../../broker/state-schema.js';
import type { HistoryAnswerSchema, HistoryEventSchema } from '../../../history/api-schema.js';
import type { AuditEntrySchema, MeSchema, SetCommandSchema } from '../../api/schemas.js';
import type { FermenterViewSchema } from '../../api-schema.js';

// The server's answers, typed from the schemas it checks and serialises them with (type-only imports:
// nothing of the server is bundled).
export type Me = Static<typeof MeSchema>;
export type User = Me['user'];
export type Role = User['role'];
export type FermenterState = Static<typeof FermenterStateSchema>;
export type ControlMode = FermenterState['mode'];
export type Incident = Static<typeof IncidentSchema>;
export type FermenterView = Static<typeof FermenterViewSchema>;
export type History = Static<typeof HistoryAnswerSchema>;
export type FermenterEvent = Static<typeof HistoryEventSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
type Command = Static<typeof SetCommandSchema>;
type ProfileStep = NonNullable<Command['steps']>[number];
/** A profile step as the page sends it: the bridge fills in the `until` values left out with their defaults. */
export type ProfileStepInput = Omit<ProfileStep, 'until'> & { until?: Partial<ProfileStep['until']> };
/** A command as the bridge takes it (broker/command-schema.ts), one key at a time. */
export type SetCommand = Omit<Command, 'steps' | 'nextSteps'> & {
  steps?: ProfileStepInput[];
  nextSteps?: ProfileStepInput[];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Called whenever the session changes, so state-changing requests carry the current token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Exported for the recipe commons' own client (pages/recipes/api.ts). */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  const text = await res.text();
  const json = text === '' ? null : (JSON.parse(text) as unknown);
  if (!res.ok) {
    const e = (json ?? {}) as { code?: unknown; message?: unknown };
    throw new ApiError(
      res.status,
      typeof e.code === 'string' ? e.code : `HTTP_${res.status}`,
      typeof e.message === 'string' ? e.message : res.statusText,
    );
  }
  return json as T;
}

const path = (id: string) => `/api/fermenters/${encodeURIComponent(id)}`;
export const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

export const api = {
  me: () => request<Me>('GET', '/api/auth/me'),
  login: (name: string, password: string) => request<Me>('POST', '/api/auth/login', { name, password }),
  logout: () => request<unknown>('POST', '/api/auth/logout'),
  fermenters: () => request<{ fermenters: FermenterView[] }>('GET', '/api/fermenters'),
  history: (
    id: string,
    from: number | undefined,
    to: number | undefined,
    fields: string[],
    maxPoints: number,
  ) =>
    request<History>('GET', `${path(id)}/history${query({ from, to, fields: fields.join(','), maxPoints })}`),
  events: (id: string, from: number | undefined, to: number | undefined) =>
    request<{ events: FermenterEvent[] }>('GET', `${path(id)}/events${query({ from, to })}`),
  audit: (id: string, from: number | undefined, to: number | undefined) =>
    request<{ entries: AuditEntry[] }>('GET', `/api/audit${query({ fermenter: id, from, to })}`),
  incidents: (fermenter?: string, limit = 200) =>
    request<{ incidents: Incident[] }>('GET', `/api/incidents${query({ fermenter, limit })}`),
  alerts: () => request<{ alerts: AlertView[] }>('GET', '/api/alerts?limit=100'),
  acknowledge: (id: string) => request<AlertView>('POST', `/api/alerts/${encodeURIComponent(id)}/ack`),
  testAlert: () => request<AlertView>('POST', '/api/alerts/test', {}),
  contact: () => request<Contact>('GET', '/api/alerts/contact'),
  saveContact: (c: Contact) => request<Contact>('PUT', '/api/alerts/contact', c),
  rota: () => request<{ rota: RotaSlot[]; people: string[] }>('GET', '/api/alerts/rota'),
  saveRota: (rota: RotaSlot[]) => request<{ rota: RotaSlot[] }>('PUT', '/api/alerts/rota', { rota }),
  spaceDefaults: () => request<SpaceDefaults>('GET', '/api/alerts/defaults'),
  saveSpaceDefaults: (d: SpaceDefaults) => request<SpaceDefaults>('PUT', '/api/alerts/defaults', d),
  testSpaceDefaults: () => request<AlertView>('POST', '/api/alerts/defaults/test', {}),
  set: (id: string, command: SetCommand) => request<{ status: string }>('POST', `${path(id)}/set`, command),
  hydrometers: () => request<Hydrometers>('GET', '/api/hydrometers'),
  fitCalibration: (name: string, cal: Calibration) =>
    request<CalibrationFit>('POST', `/api/hydrometers/ispindels/${encodeURIComponent(name)}/fit`, cal),
  saveCalibration: (name: string, cal: Calibration) =>
    request<IspindelCalibrationView>(
      'PUT',
      `/api/hydrometers/ispindels/${encodeURIComponent(name)}/calibration`,
      cal,
    ),
  removeCalibration: (name: string) =>
    request<IspindelCalibrationView>(
      'DELETE',
      `/api/hydrometers/ispindels/${encodeURIComponent(name)}/calibration`,
    ),
  saveTiltOffset: (colour: string, gravityOffset: number) =>
    request<TiltCalibrationView>('PUT', `/api/hydrometers/tilts/${encodeURIComponent(colour)}/offset`, {
      gravityOffset,
    }),
  removeTiltOffset: (colour: string) =>
    request<TiltCalibrationView>('DELETE', `/api/hydrometers/tilts/${encodeURIComponent(colour)}/offset`),
};

/** Calibration points (tilt angle → gravity by hydrometer) and the degree of the polynomial through them. */
export interface Calibration {
  points: Array<{ angle: number; gravity: number }>;
  degree: number;
}
export interface CalibrationFit {
  /** Lowest power first. */
  polynomial: number[];
  /** Per point, fitted − measured. */
  residuals: number[];
}
export interface IspindelCalibrationView {
  name: string;
  fermenter: string;
  unit?: string;
  source: 'config' | 'dashboard';
  calibration?: Calibration;
  fit?: CalibrationFit;
  setBy?: string;
  setAt?: number;
}
export interface TiltCalibrationView {
  colour: string;
  fermenter: string;
  gravityOffset: number;
  source: 'config' | 'dashboard';
  setBy?: string;
  setAt?: number;
}
export interface Hydrometers {
  ispindels: IspindelCalibrationView[];
  tilts: TiltCalibrationView[];
}

export type { Contact, RotaSlot, SpaceDefaults };
export interface AlertView {
  id: string;
  kind: string;
  severity: string;
  fermenterId: string | null;
  status: string;
  raisedAt: number;
  level: number;
  told: string[];
  ackedBy: string | null;
  ackedAt: number | null;
  facts: { detail?: string; code?: string };
  deliveries: Array<{
    user: string;
    channel: string;
    purpose: string;
    status: string;
    attempts: number;
    lastError: string | null;
  }>;
}
