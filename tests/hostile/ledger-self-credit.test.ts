// Finding 18: a brewer could credit himself without limit in the ledger. A contribution someone records for
// themselves counts (totals, pot splits) only once another brewer or an admin confirms it, through the real
// application: session, CSRF and roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from '../dashboard/api/rig.js';

interface Contributors {
  contributors: Array<{ name: string; points: number }>;
}
const pointsOf = async (rig: Rig, name: string) => {
  const viewer = await rig.as('viewer');
  const list = (await viewer.get<Contributors>('api/contributors')).body.contributors;
  return list.find((c) => c.name === name)?.points ?? 0;
};

describe('crediting oneself in the ledger', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('waits for another person before it counts, in totals and pot splits', async () => {
    const brewer = await rig.as('brewer');
    const recipes = await brewer.get<{ recipes: Array<{ id: string; latestVersionId: string }> }>(
      'api/recipes?limit=1',
    );
    const recipe = recipes.body.recipes[0];
    if (recipe === undefined) throw new Error('the library is not loaded');
    const own = await brewer.post<{ id: string; pending: boolean }>('api/ledger/events', {
      contributor: 'brice',
      kind: 'hardware',
      versionId: recipe.latestVersionId,
    });
    expect(own.status).toBe(201);
    expect(own.body.pending).toBe(true);
    expect(await pointsOf(rig, 'brice')).toBe(0);
    // The library carries no events: with brice's own unconfirmed, there is still no one to pay.
    const split = `api/recipes/${recipe.id}/pot-split?amount=100.00`;
    expect((await brewer.get<{ code: string }>(split)).body.code).toBe('COBREW_ERR_NOTHING_TO_SPLIT');

    const confirm = `api/ledger/events/${own.body.id}/confirm`;
    const self = await brewer.post<{ code: string }>(confirm);
    expect([self.status, self.body.code]).toEqual([409, 'COBREW_ERR_LEDGER_CONFIRM']);
    expect((await (await rig.as('member')).post(confirm)).status).toBe(403);
    expect(await pointsOf(rig, 'brice')).toBe(0);

    const admin = await rig.as('admin');
    const confirmed = await admin.post<{ pending: boolean; confirmedBy: string }>(confirm);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ pending: false, confirmedBy: 'ada' });
    expect(await pointsOf(rig, 'brice')).toBe(5);
    const shares = await brewer.get<{ shares: Array<{ contributor: string; amount: string }> }>(split);
    expect(shares.body.shares.map((s) => [s.contributor, s.amount])).toEqual([['brice', '100.00']]);
    // Once.
    expect((await admin.post<{ code: string }>(confirm)).body.code).toBe('COBREW_ERR_LEDGER_CONFIRM');
  });

  it('counts at once what someone records for another person', async () => {
    const brewer = await rig.as('brewer');
    const other = await brewer.post<{ pending: boolean }>('api/ledger/events', {
      contributor: 'mila',
      kind: 'review',
    });
    expect(other.body.pending).toBe(false);
    expect(await pointsOf(rig, 'mila')).toBe(1);
  });
});
