import { describe, expect, it } from 'vitest';
import { fermentationSteps } from '../../../recipes/commons/fermentation-steps.js';
import { admin, alice, beer, bob, carol, lager, makeStore } from './helpers.js';

function setUp() {
  const { store, clock } = makeStore();
  const recipe = store.createRecipe({ document: lager('Helles'), author: alice.name });
  return { store, clock, versionId: recipe.latestVersionId };
}

describe('fermentation steps from BeerJSON', () => {
  it('makes holds and ramps in °C and hours', () => {
    expect(fermentationSteps(lager('x'))).toEqual([
      { name: 'Primary', type: 'hold', targetC: 18, durationH: 168 },
      { name: 'Cold crash', type: 'ramp', targetC: 2, durationH: 48 },
    ]);
  });

  it('names what is missing', () => {
    expect(() => fermentationSteps(beer('plain'))).toThrow(
      /COBREW_ERR_FERMENTATION_STEPS|no fermentation steps/,
    );
    const noTime = lager('y', { crashTime: false });
    expect(() => fermentationSteps(noTime)).toThrow(/step 2 \(Cold crash\) has no step time/);
  });
});

describe('batches', () => {
  it('starts on a free fermenter with the recipe steps, co-brewers and a private brew log', () => {
    const { store, versionId } = setUp();
    const steps = store.batches.stepsOf(versionId, alice);
    const batch = store.batches.start(
      {
        versionId,
        fermenterId: 'ale',
        name: 'Helles #1',
        coBrewers: ['bob', 'alice', 'bob'],
        profile: steps,
      },
      alice,
    );
    expect(batch).toMatchObject({
      name: 'Helles #1',
      brewer: 'alice',
      fermenterId: 'ale',
      coBrewers: ['bob'],
      active: true,
      endedAt: null,
      visibility: 'private',
      profile: steps,
    });
    // The brew log is the batch's record, not a copy.
    expect(store.brewLogs.get(batch.id, alice).id).toBe(batch.id);
    expect(store.batches.holders()).toEqual([store.batches.onFermenter('ale')]);
    expect(store.batches.onFermenter('ale')).toEqual({
      fermenterId: 'ale',
      batchId: batch.id,
      name: 'Helles #1',
      owner: 'alice',
      coBrewers: ['bob'],
      since: batch.startedAt,
    });
    expect(store.batches.onFermenter('lager')).toBeNull();
    // A co-brewer sees the private batch and records readings; another brewer does not see it.
    expect(store.batches.get(batch.id, bob).name).toBe('Helles #1');
    store.brewLogs.addReading(batch.id, { at: batch.startedAt, gravity: 1.048 }, bob);
    expect(() => store.batches.get(batch.id, carol)).toThrow(/COBREW_ERR_BATCH_NOT_FOUND|does not exist/);
  });

  it('refuses a second batch on a busy fermenter, naming the batch, by any path', () => {
    const { store, versionId } = setUp();
    const first = store.batches.start({ versionId, fermenterId: 'ale', name: 'Helles #1' }, alice);
    const busy = new RegExp(`Fermenter ale holds batch "Helles #1" \\(${first.id}\\) of alice`);
    expect(() => store.batches.start({ versionId, fermenterId: 'ale' }, bob)).toThrow(busy);
    expect(() => store.brewLogs.create({ versionId, fermenterId: 'ale', startedAt: 0 }, bob)).toThrow(busy);
    const old = store.brewLogs.create({ versionId, fermenterId: 'ale', startedAt: 0, endedAt: 1 }, bob);
    expect(() => store.brewLogs.update(old.id, { endedAt: null }, bob)).toThrow(busy);
  });

  it('ends: closes the brew log and frees the fermenter; only the team or an admin may', () => {
    const { store, clock, versionId } = setUp();
    const batch = store.batches.start({ versionId, fermenterId: 'ale', coBrewers: ['bob'] }, alice);
    store.brewLogs.update(batch.id, { visibility: 'public' }, alice);
    clock.advance(3_600_000);
    expect(() => store.batches.end(batch.id, carol)).toThrow(
      /Only alice .* its co-brewers or an admin may end/,
    );
    const ended = store.batches.end(batch.id, bob);
    expect(ended).toMatchObject({ active: false, endedAt: batch.startedAt + 3_600_000 });
    expect(store.brewLogs.get(batch.id, carol).endedAt).toBe(ended.endedAt);
    expect(store.batches.onFermenter('ale')).toBeNull();
    expect(() => store.batches.end(batch.id, admin)).toThrow(/already ended/);
    expect(store.batches.start({ versionId, fermenterId: 'ale' }, carol).brewer).toBe('carol');
  });

  it('lets the owner or an admin change co-brewers, not a co-brewer', () => {
    const { store, versionId } = setUp();
    const batch = store.batches.start({ versionId, fermenterId: 'ale', coBrewers: ['bob'] }, alice);
    expect(() => store.batches.setCoBrewers(batch.id, ['bob', 'carol'], bob)).toThrow(/Only alice/);
    expect(store.batches.setCoBrewers(batch.id, ['carol'], admin).coBrewers).toEqual(['carol']);
    expect(store.batches.listOpen(carol).map((b) => b.id)).toEqual([batch.id]);
    expect(store.batches.listOpen(bob)).toEqual([]);
  });
});
