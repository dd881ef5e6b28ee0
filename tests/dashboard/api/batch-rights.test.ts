// Batches over the API against the real application: a brewer starts one from a recipe's fermentation
// steps, the profile runs on the fermenter, and rights follow the batch (owner, co-brewers, admins), every
// refusal audited; ending it frees the fermenter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FermenterState } from '../../../firmware-bridge/types.js';
import { type ApiClient, addDashboardUser } from '../../helpers/api-client.js';
import { eventually } from '../../helpers/eventually.js';
import { batchCast, type Rig, startRig } from './rig.js';

interface Batch {
  id: string;
  name: string;
  brewer: string;
  fermenterId: string;
  coBrewers: string[];
  active: boolean;
  endedAt: number | null;
  profile: Array<{ name: string; type: string; targetC: number; durationH: number }> | null;
}
interface ApiError {
  code: string;
  message: string;
}

describe('batches and the rights that follow them', () => {
  let rig: Rig;
  let owner: ApiClient;
  let other: ApiClient;
  let admin: ApiClient;
  let versionId: string;
  beforeAll(async () => {
    rig = await startRig();
    ({ owner, other, admin, versionId } = await batchCast(rig, 'Helles'));
  });
  afterAll(() => rig.stop());

  const stateOf = (id: string) =>
    eventually(async () => {
      const { body } = await owner.get<{ state: FermenterState | null }>(`api/fermenters/${id}`);
      return body.state ?? undefined;
    }, 'a state');

  it('shows the recipe steps, then starts the batch with them running on the fermenter', async () => {
    const steps = await owner.get<{ steps: Batch['profile'] }>(`api/batches/steps?version=${versionId}`);
    expect(steps.body.steps).toEqual([
      { name: 'Primary', type: 'hold', targetC: 18, durationH: 168 },
      { name: 'Cold crash', type: 'ramp', targetC: 2, durationH: 48 },
    ]);
    const started = await owner.post<Batch>('api/batches', {
      versionId,
      fermenterId: 'ale',
      name: 'Helles #1',
      profile: 'recipe',
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      brewer: 'brice',
      fermenterId: 'ale',
      active: true,
      profile: steps.body.steps,
    });
    await eventually(
      async () => ((await stateOf('ale')).mode === 'profile' ? true : undefined),
      'the profile running',
    );
    const holders = await other.get<{ holders: unknown[] }>('api/batches/holders');
    expect(holders.body.holders).toEqual([
      expect.objectContaining({
        fermenterId: 'ale',
        batchId: started.body.id,
        owner: 'brice',
        coBrewers: [],
      }),
    ]);
  });

  it('keeps no batch whose profile the fermenter refuses', async () => {
    const refused = await other.post<ApiError>('api/batches', {
      versionId,
      fermenterId: 'lager',
      profile: [{ name: 'Too cold', type: 'hold', targetC: -8, durationH: 1 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('COBREW_ERR_INVALID');
    const holders = await other.get<{ holders: Array<{ fermenterId: string }> }>('api/batches/holders');
    expect(holders.body.holders.map((h) => h.fermenterId)).toEqual(['ale']);
    const unknown = await other.post<ApiError>('api/batches', { versionId, fermenterId: 'stout' });
    expect(unknown.body.code).toBe('COBREW_ERR_UNKNOWN_FERMENTER');
  });

  it('refuses a second batch on the fermenter, naming the one that holds it', async () => {
    const busy = await other.post<ApiError>('api/batches', { versionId, fermenterId: 'ale' });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('COBREW_ERR_FERMENTER_BUSY');
    expect(busy.body.message).toMatch(/Fermenter ale holds batch "Helles #1" \(.+\) of brice/);
  });

  it('lets another brewer view but not control it; the owner, a co-brewer and an admin may', async () => {
    const view = await other.get<{ id: string }>('api/fermenters/ale');
    expect(view.status).toBe(200);
    const refused = await other.post<ApiError>('api/fermenters/ale/set', { beerSetpointC: 15 });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'COBREW_ERR_NOT_YOUR_BATCH' });
    expect(refused.body.message).toMatch(/Fermenter ale holds batch "Helles #1" of brice/);
    // The empty fermenter stays every brewer's.
    expect((await other.post('api/fermenters/lager/set', { beerSetpointC: 11 })).status).toBe(200);
    expect((await admin.post('api/fermenters/ale/set', { beerSetpointC: 17 })).status).toBe(200);
    expect((await owner.post('api/fermenters/ale/set', { beerSetpointC: 16 })).status).toBe(200);

    const { body: list } = await owner.get<{ batches: Batch[] }>('api/batches');
    const id = list.batches[0]?.id as string;
    const granted = await owner.request<Batch>('PUT', `api/batches/${id}/co-brewers`, { coBrewers: ['bea'] });
    expect(granted.body.coBrewers).toEqual(['bea']);
    expect((await other.post('api/fermenters/ale/set', { beerSetpointC: 15 })).status).toBe(200);

    const audit = await admin.get<{
      entries: Array<{ user: string; result: string; error: ApiError | null }>;
    }>('api/audit?fermenter=ale');
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({
        user: 'bea',
        result: 'refused',
        error: expect.objectContaining({ code: 'COBREW_ERR_NOT_YOUR_BATCH' }),
      }),
    );
  });

  it('ends the batch: the brew log closes and the fermenter is free again', async () => {
    const { body: list } = await owner.get<{ batches: Batch[] }>('api/batches');
    const id = list.batches[0]?.id as string;
    const ended = await other.post<Batch>(`api/batches/${id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.active).toBe(false);
    const log = await owner.get<{ endedAt: number | null }>(`api/brewlogs/${id}`);
    expect(log.body.endedAt).toBe(ended.body.endedAt);
    expect((await other.get<{ holders: unknown[] }>('api/batches/holders')).body.holders).toEqual([]);
    await addDashboardUser(rig.dataDir, 'cid', 'brewer', 'cid secret 1');
    const third = rig.client();
    await third.login('cid', 'cid secret 1');
    expect((await third.post('api/fermenters/ale/set', { beerSetpointC: 18 })).status).toBe(200);
  });

  it('books the calendar: a conflict is refused naming the batch, and a booking becomes the batch', async () => {
    const now = Date.now();
    const day = 24 * 3_600_000;
    const booked = await owner.post<{ id: string }>('api/bookings', {
      fermenterId: 'lager',
      name: 'Pils #1',
      startsAt: now - 1000,
      endsAt: now + 20 * day,
    });
    expect(booked.status).toBe(201);
    const clash = await other.post<ApiError>('api/bookings', {
      fermenterId: 'lager',
      name: 'Bock',
      startsAt: now + 10 * day,
      endsAt: now + 40 * day,
    });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('COBREW_ERR_BOOKING_CONFLICT');
    expect(clash.body.message).toMatch(/for batch "Pils #1" of brice/);
    const calendar = await other.get<{ bookings: Array<{ name: string }> }>('api/bookings?fermenter=lager');
    expect(calendar.body.bookings.map((b) => b.name)).toEqual(['Pils #1']);
    const started = await owner.post<Batch>('api/batches', {
      versionId,
      fermenterId: 'lager',
      bookingId: booked.body.id,
    });
    expect(started.status).toBe(201);
    expect(started.body.name).toBe('Pils #1');
  });

  it('saves a profile in the commons and starts a batch from it', async () => {
    const steps = [{ name: 'Warm', type: 'hold', targetC: 20, durationH: 72 }];
    const saved = await other.post<{ versions: Array<{ id: string }>; authors: string[] }>('api/profiles', {
      title: 'Saison',
      steps,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.authors).toEqual(['bea']);
    const savedVersionId = saved.body.versions[0]?.id;
    const batch = await other.post<Batch>('api/batches', {
      versionId,
      fermenterId: 'ale',
      profile: { savedVersionId },
    });
    expect(batch.status).toBe(201);
    expect(batch.body.profile).toEqual(steps);
    const ledger = await other.get<{ events: Array<{ kind: string; contributor: string }> }>(
      'api/ledger?kind=profile',
    );
    expect(ledger.body.events).toContainEqual(
      expect.objectContaining({ kind: 'profile', contributor: 'bea' }),
    );
  });
});
