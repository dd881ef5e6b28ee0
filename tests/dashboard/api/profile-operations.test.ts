// Operations on a running profile over the API, against the real application: the batch's owner skips,
// holds, extends and edits the steps to come; another brewer may not; each is audited and shows in the
// fermenter's state as progress and time left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FermenterState } from '../../../firmware-bridge/types.js';
import type { ApiClient } from '../../helpers/api-client.js';
import { eventually } from '../../helpers/eventually.js';
import { batchCast, type Rig, startRig } from './rig.js';

type Profile = NonNullable<FermenterState['profile']>;

describe('operations on the running profile over the API', () => {
  let rig: Rig;
  let owner: ApiClient;
  let other: ApiClient;
  let admin: ApiClient;
  beforeAll(async () => {
    rig = await startRig();
    let versionId: string;
    ({ owner, other, admin, versionId } = await batchCast(rig, 'Märzen'));
    const started = await owner.post('api/batches', {
      versionId,
      fermenterId: 'ale',
      profile: [
        { name: 'Primary', type: 'hold', targetC: 10, durationH: 240 },
        { name: 'Rest', type: 'hold', targetC: 16, durationH: 48 },
        { name: 'Crash', type: 'ramp', targetC: 2, durationH: 24 },
      ],
    });
    expect(started.status).toBe(201);
  });
  afterAll(() => rig.stop());

  /** The profile view once it satisfies `ok`. */
  const profileWhen = (ok: (p: Profile) => boolean, what: string) =>
    eventually(async () => {
      const { body } = await owner.get<{ state: FermenterState | null }>('api/fermenters/ale');
      const p = body.state?.profile;
      return p && ok(p) ? p : undefined;
    }, what);

  it('shows progress and time left, then skips a step for its owner, not for another brewer', async () => {
    const first = await profileWhen((p) => p.step === 0, 'the first step running');
    expect(first).toMatchObject({ steps: 3, held: false, current: { targetC: 10, durationH: 240 } });
    expect(first.remainingS).toBeCloseTo(first.stepRemainingS + 72 * 3600, 3);

    const refused = await other.post<{ code: string }>('api/fermenters/ale/set', { profile: 'skip' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('COBREW_ERR_NOT_YOUR_BATCH');
    expect((await owner.post('api/fermenters/ale/set', { profile: 'skip' })).status).toBe(200);
    await profileWhen((p) => p.step === 1, 'the second step running');
  });

  it('holds, extends and edits what is next; an admin may too', async () => {
    expect((await owner.post('api/fermenters/ale/set', { profile: 'hold' })).status).toBe(200);
    await profileWhen((p) => p.held, 'the step held');
    expect((await admin.post('api/fermenters/ale/set', { extendStepH: 12 })).status).toBe(200);
    const extended = await profileWhen((p) => p.current.durationH === 60, 'the step extended');
    expect(extended.held).toBe(true);
    expect((await owner.post('api/fermenters/ale/set', { profile: 'resume' })).status).toBe(200);
    const next = [{ type: 'hold', targetC: 1, durationH: 72 }];
    expect((await owner.post('api/fermenters/ale/set', { nextSteps: next })).status).toBe(200);
    await profileWhen((p) => !p.held && p.steps === 3 && p.next[0]?.targetC === 1, 'the edited steps');

    const bad = await owner.post<{ code: string }>('api/fermenters/ale/set', { extendStepH: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('COBREW_ERR_INVALID');
    const smuggled = await owner.post<{ code: string }>('api/fermenters/ale/set', {
      profile: 'skip',
      byAdmin: true,
    });
    expect(smuggled.status).toBe(400);
  });

  it('writes every operation to the audit log with who asked', async () => {
    const { body } = await admin.get<{
      entries: Array<{ user: string; command: Record<string, unknown>; result: string }>;
    }>('api/audit?fermenter=ale');
    const ops = body.entries
      .filter((e) => e.result === 'ok')
      .map((e) => [e.user, e.command])
      .reverse();
    expect(ops).toEqual(
      expect.arrayContaining([
        ['brice', { profile: 'skip' }],
        ['brice', { profile: 'hold' }],
        ['ada', { extendStepH: 12 }],
        ['brice', { profile: 'resume' }],
        ['brice', { nextSteps: [{ type: 'hold', targetC: 1, durationH: 72 }] }],
      ]),
    );
    expect(body.entries).toContainEqual(
      expect.objectContaining({ user: 'bea', command: { profile: 'skip' }, result: 'refused' }),
    );
  });
});
