// Changing a simulated fermenter through the API, who may, what is refused, the audit log and the live feed,
// against the real application (embedded broker, simulated fleet).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FermenterState } from '../../../firmware-bridge/types.js';
import { eventually } from '../../helpers/eventually.js';
import { type Rig, startRig } from './rig.js';
import { openLive } from './sse.js';

interface ApiError {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}
interface View {
  id: string;
  state: FermenterState | null;
  online: boolean | null;
}
interface AuditEntry {
  id: number;
  at: number;
  user: string;
  fermenterId: string;
  command: Record<string, unknown>;
  result: string;
  error: { code: string; message: string } | null;
}

describe('fermenter control over the API', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.stop());

  const stateOf = async (id: string) => {
    const c = await rig.as('viewer');
    return eventually(
      async () => (await c.get<View>(`api/fermenters/${id}`)).body.state ?? undefined,
      'a state',
    );
  };

  it('lists the fermenters with their states and availability, and answers 404 for an unknown one', async () => {
    const c = await rig.as('viewer');
    const list = await eventually(async () => {
      const { body } = await c.get<{ fermenters: View[] }>('api/fermenters');
      return body.fermenters.every((f) => f.state !== null && f.online === true)
        ? body.fermenters
        : undefined;
    }, 'both fermenters online with a state');
    expect(list.map((f) => f.id)).toEqual(['ale', 'lager']);
    const one = await c.get<View>('api/fermenters/lager');
    expect(one.body).toMatchObject({ id: 'lager', name: 'Lager – cuve 2', online: true });
    const unknown = await c.get<ApiError>('api/fermenters/stout');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      code: 'COBREW_ERR_UNKNOWN_FERMENTER',
      error: 'Not Found',
      message: expect.stringContaining('"stout"'),
    });
  });

  it('refuses setpoint changes to viewers and members (403) and leaves the fermenter as it was', async () => {
    for (const who of ['viewer', 'member'] as const) {
      const c = await rig.as(who);
      const res = await c.post<ApiError>('api/fermenters/ale/set', { beerSetpointC: 25 });
      expect(res.status, who).toBe(403);
      expect(res.body.code).toBe('COBREW_ERR_FORBIDDEN');
      expect(res.body.message).toContain('brewer');
      expect((await c.post<ApiError>('api/fermenters/ale/set', { clearTrip: true })).status).toBe(403);
    }
    // A state made after the refusals still has the setpoint of cobrew.yaml.
    const before = await stateOf('ale');
    const after = await eventually(async () => {
      const s = await stateOf('ale');
      return s.at > before.at ? s : undefined;
    }, 'a newer state');
    expect(after.beerSetpointC).toBe(18);
    const audit = await (await rig.as('viewer')).get<{ entries: AuditEntry[] }>('api/audit');
    expect(audit.body.entries).toEqual([]);
  });

  it('lets a brewer change the setpoint and mode: the simulated fermenter follows, audited and live', async () => {
    const watcher = await rig.as('viewer');
    const live = await openLive(rig.app.dashboardUrl, watcher.session);
    try {
      expect(live.status).toBe(200);
      const brewer = await rig.as('brewer');
      const set = await brewer.post<{ status: string; transaction: string }>('api/fermenters/ale/set', {
        beerSetpointC: 19.5,
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ status: 'ok', transaction: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const changed = await live.next(
        (e) =>
          e.event === 'state' &&
          (e.data as FermenterState).id === 'ale' &&
          (e.data as FermenterState).beerSetpointC === 19.5,
        'the ale state with the new setpoint',
      );
      expect(changed.data).toMatchObject({ mode: 'beer', beerSetpointC: 19.5 });
      const audited = await live.next((e) => e.event === 'audit', 'the audit entry');
      expect(audited.data).toMatchObject({
        user: 'brice',
        fermenterId: 'ale',
        command: { beerSetpointC: 19.5 },
        result: 'ok',
        error: null,
      });

      expect((await brewer.post('api/fermenters/lager/set', { mode: 'off' })).status).toBe(200);
      await live.next(
        (e) =>
          e.event === 'state' &&
          (e.data as FermenterState).id === 'lager' &&
          (e.data as FermenterState).mode === 'off',
        'lager switched off',
      );
      const admin = await rig.as('admin');
      expect((await admin.post('api/fermenters/lager/set', { mode: 'beer' })).status).toBe(200);

      const { body } = await watcher.get<{ entries: AuditEntry[] }>('api/audit?fermenter=lager');
      expect(body.entries.map((e) => [e.user, e.command])).toEqual([
        ['ada', { mode: 'beer' }],
        ['brice', { mode: 'off' }],
      ]);
      const all = await watcher.get<{ entries: AuditEntry[] }>('api/audit');
      expect(all.body.entries).toHaveLength(3);
      const first = all.body.entries[2] as AuditEntry;
      const window = await watcher.get<{ entries: AuditEntry[] }>(
        `api/audit?from=${first.at}&to=${first.at}&limit=1`,
      );
      expect(window.body.entries.map((e) => e.id)).toEqual([first.id]);
    } finally {
      live.close();
    }
  });

  it("answers the bridge's refusal as a 400 with its code and message, and audits it", async () => {
    const brewer = await rig.as('brewer');
    // The default fermenters have no profile: the bridge says so.
    const res = await brewer.post<ApiError>('api/fermenters/ale/set', { profile: 'start' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'COBREW_ERR_NO_PROFILE', error: 'Bad Request' });
    expect(res.body.message).toContain('no profile steps');
    const { body } = await brewer.get<{ entries: AuditEntry[] }>('api/audit?fermenter=ale&limit=1');
    expect(body.entries[0]).toMatchObject({
      command: { profile: 'start' },
      result: 'refused',
      error: { code: 'COBREW_ERR_NO_PROFILE' },
    });
  });

  it('refuses invalid bodies and queries with a 400 naming the field, before anything is sent', async () => {
    const brewer = await rig.as('brewer');
    const cases: Array<[unknown, string]> = [
      [{ beerSetpointC: 99 }, 'beerSetpointC: 99 is not allowed; it must be <= '],
      [{ beerSetpointC: '19' }, 'beerSetpointC: "19" is not allowed; it must be number'],
      [{ mode: 'warp' }, 'mode: "warp" is not allowed; use one of "off", "beer", "chamber", "profile"'],
      [{ colour: 'red' }, 'colour: unknown key'],
      [{ transaction: 'mine' }, 'transaction: unknown key'],
      [{ mode: 'off', beerSetpointC: 18 }, 'mode and beerSetpointC together'],
      [{}, 'no command'],
      [{ profile: 'stop', steps: [{ type: 'hold', targetC: 18, durationH: 1 }] }, 'steps: only allowed with'],
      [{ profile: 'start', steps: [{ type: 'hold', targetC: 18 }] }, 'steps[0].durationH: missing'],
      [[1, 2], 'must be object'],
    ];
    for (const [body, problem] of cases) {
      const res = await brewer.post<ApiError>('api/fermenters/ale/set', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('COBREW_ERR_INVALID');
      expect(res.body.message).toContain(problem);
    }
    const notJson = await brewer.request<ApiError>('POST', 'api/fermenters/ale/set', undefined, {
      'content-type': 'application/json',
      'x-csrf-token': brewer.csrfToken as string,
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('COBREW_ERR_INVALID_JSON');
    const query = await brewer.get<ApiError>('api/audit?from=yesterday&limit=0');
    expect(query.status).toBe(400);
    expect(query.body.code).toBe('COBREW_ERR_INVALID');
    expect(query.body.message).toContain('from: must be integer');
    expect(query.body.message).toContain('limit: must be >= 1');
    expect((await brewer.get<ApiError>('api/audit?colour=red')).body.message).toContain(
      'colour: unknown parameter',
    );
    const unknown = await brewer.post<ApiError>('api/fermenters/stout/set', { mode: 'off' });
    expect(unknown.status).toBe(404);
    // Nothing was audited: nothing went out.
    const { body } = await brewer.get<{ entries: AuditEntry[] }>('api/audit?limit=1');
    expect(body.entries[0]?.command).not.toEqual({ beerSetpointC: 99 });
    expect(body.entries.every((e) => e.fermenterId !== 'stout')).toBe(true);
  });

  it('streams states live: the latest at once, then a new one within a second', async () => {
    const c = await rig.as('viewer');
    const live = await openLive(rig.app.dashboardUrl, c.session);
    try {
      expect(live.status).toBe(200);
      const snapshot = await live.next((e) => e.event === 'state', 'a first state', 1000);
      expect(snapshot.atMs).toBeLessThan(1000);
      expect(
        live.events
          .slice(0, 4)
          .map((e) => e.event)
          .sort(),
      ).toEqual(['availability', 'availability', 'state', 'state']);
      expect(live.events[0]?.data).toEqual({ fermenterId: 'ale', online: true });
      const first = snapshot.data as FermenterState;
      const fresh = await live.next(
        (e) =>
          e.event === 'state' &&
          (e.data as FermenterState).id === first.id &&
          (e.data as FermenterState).at > first.at,
        'a newer state',
        1000,
      );
      expect(fresh.atMs).toBeLessThan(1500);
    } finally {
      live.close();
    }
  });
});
