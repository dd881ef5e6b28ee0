import { afterEach, describe, expect, it } from 'vitest';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import { beerJsonProblems } from '../../../recipes/formats/index.js';
import { admin, alice, beer, bob, makeStore } from './helpers.js';

let store: CommonsStore;
afterEach(() => store?.close());

function setUp() {
  const made = makeStore();
  store = made.store;
  const recipe = store.createRecipe({ document: beer('Pale'), author: 'alice' });
  return { ...made, recipe };
}

const DAY = 86_400_000;

describe('brew logs', () => {
  it('snapshots the version brewed, links a fermenter and a time range', () => {
    const { recipe, clock } = setUp();
    const log = store.brewLogs.create(
      {
        versionId: recipe.latestVersionId,
        fermenterId: 'ale',
        startedAt: clock.now(),
        notes: 'pitched at 18 °C',
      },
      bob,
    );
    expect(log).toMatchObject({
      recipeId: recipe.id,
      versionNumber: 1,
      name: 'Pale',
      brewer: 'bob',
      fermenterId: 'ale',
      endedAt: null,
      visibility: 'private',
      local: true,
    });
    expect(log.snapshot).toEqual(store.getVersion(recipe.id, 1, null).document);
    // A new version of the recipe does not change what was brewed.
    store.addVersion(
      recipe.id,
      { document: beer('Pale', { hopsG: 99 }), author: 'alice', note: 'hops' },
      alice,
    );
    expect(store.brewLogs.get(log.id, bob).snapshot).toEqual(log.snapshot);
    expect(() => store.db.prepare(`UPDATE brewlogs SET snapshot = '{}'`).run()).toThrow(/BREWLOG_SNAPSHOT/);
    const closed = store.brewLogs.update(log.id, { endedAt: clock.now() + 14 * DAY }, bob);
    expect(closed.endedAt).toBe(clock.now() + 14 * DAY);
    expect(() => store.brewLogs.update(log.id, { endedAt: clock.now() - DAY }, bob)).toThrow(
      /ends .* before it starts/,
    );
  });

  it('shows private logs only to their brewer and admins; only they change them', () => {
    const { recipe, clock } = setUp();
    const log = store.brewLogs.create({ versionId: recipe.latestVersionId, startedAt: clock.now() }, bob);
    expect(() => store.brewLogs.get(log.id, alice)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_BREWLOG_NOT_FOUND' }),
    );
    expect(store.brewLogs.list({}, alice)).toEqual([]);
    expect(store.brewLogs.list({}, admin)).toHaveLength(1);
    store.brewLogs.update(log.id, { visibility: 'public' }, bob);
    expect(store.brewLogs.list({ recipeId: recipe.id }, null).map((l) => l.id)).toEqual([log.id]);
    expect(() => store.brewLogs.update(log.id, { notes: 'mine now' }, alice)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_FORBIDDEN' }),
    );
    store.brewLogs.remove(log.id, admin);
    expect(store.brewLogs.list({}, admin)).toEqual([]);
  });

  it('publishing is a ledger contribution, recorded once', () => {
    const { recipe, clock } = setUp();
    const log = store.brewLogs.create(
      { versionId: recipe.latestVersionId, startedAt: clock.now(), visibility: 'public' },
      bob,
    );
    store.brewLogs.update(log.id, { visibility: 'private' }, bob);
    store.brewLogs.update(log.id, { visibility: 'public' }, bob);
    const events = store.ledger.list({ kind: 'brewlog' }).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      contributor: 'bob',
      brewlogId: log.id,
      versionId: recipe.latestVersionId,
      weight: 4,
    });
  });

  it('refuses a public log of a private recipe', () => {
    const { clock } = setUp();
    const secret = store.createRecipe({ document: beer('Secret'), author: 'bob', visibility: 'private' });
    expect(() =>
      store.brewLogs.create(
        { versionId: secret.latestVersionId, startedAt: clock.now(), visibility: 'public' },
        bob,
      ),
    ).toThrow(/publish the recipe first/);
  });

  it('keeps manual and iSpindel gravity readings, refusing implausible ones', () => {
    const { recipe, clock } = setUp();
    const log = store.brewLogs.create({ versionId: recipe.latestVersionId, startedAt: clock.now() }, bob);
    const t0 = clock.now();
    store.brewLogs.addReading(log.id, { at: t0 + 5 * DAY, gravity: 1.012, source: 'ispindel' }, bob);
    const og = store.brewLogs.addReading(log.id, { at: t0, gravity: 1.05, note: 'refractometer' }, bob);
    expect(() => store.brewLogs.addReading(log.id, { at: t0, gravity: 1050 }, bob)).toThrow(/like 1.048/);
    expect(store.brewLogs.get(log.id, bob).readings.map((r) => [r.gravity, r.source])).toEqual([
      [1.05, 'manual'],
      [1.012, 'ispindel'],
    ]);
    store.brewLogs.removeReading(log.id, og.id, bob);
    expect(() => store.brewLogs.removeReading(log.id, og.id, bob)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_READING_NOT_FOUND' }),
    );
    expect(store.brewLogs.get(log.id, bob).readings).toHaveLength(1);
  });

  it('exports the as-brewed recipe as valid BeerJSON with measured gravities', () => {
    const { recipe, clock } = setUp();
    const log = store.brewLogs.create(
      { versionId: recipe.latestVersionId, startedAt: Date.UTC(2026, 5, 6, 9) },
      bob,
    );
    store.brewLogs.addReading(log.id, { at: clock.now() + 1, gravity: 1.052 }, bob);
    store.brewLogs.addReading(log.id, { at: clock.now() + 2, gravity: 1.04 }, bob);
    store.brewLogs.addReading(log.id, { at: clock.now() + 3, gravity: 1.01 }, bob);
    const doc = store.brewLogs.asBrewed(log.id, bob) as {
      beerjson: { recipes: Array<Record<string, unknown>> };
    };
    expect(beerJsonProblems(doc)).toEqual([]);
    expect(doc.beerjson.recipes[0]).toMatchObject({
      name: 'Pale',
      created: '2026-06-06',
      original_gravity: { unit: 'sg', value: 1.052 },
      final_gravity: { unit: 'sg', value: 1.01 },
      alcohol_by_volume: { unit: '%', value: 5.51 },
    });
  });
});
