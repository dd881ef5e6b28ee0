import { afterEach, describe, expect, it } from 'vitest';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import { ledgerCsv, ledgerJson } from '../../../recipes/ledger/export.js';
import { Ledger } from '../../../recipes/ledger/ledger.js';
import { alice, beer, bob, DEFAULT_WEIGHTS, makeStore } from '../commons/helpers.js';

let store: CommonsStore;
afterEach(() => store?.close());

describe('contribution ledger', () => {
  it('records versions and forks as they are made, with the rule and table used', () => {
    ({ store } = makeStore());
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    store.fork(pale.latestVersionId, { author: 'bob' }, bob);
    const { events, total } = store.ledger.list();
    expect(total).toBe(2);
    expect(events.map((e) => [e.seq, e.contributor, e.kind, e.weight, e.rule.setting])).toEqual([
      [1, 'alice', 'version', 10, 'commons.weights.version'],
      [2, 'bob', 'fork', 5, 'commons.weights.fork'],
    ]);
    expect(events[0]?.rule.table).toEqual(DEFAULT_WEIGHTS);
    expect(events[0]).toMatchObject({ space: 'Atelier Test', recordedBy: 'cobrew', recipeId: pale.id });
  });

  it('keeps the weight of the rule in force when an event was recorded', () => {
    const made = makeStore();
    store = made.store;
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    // The community agrees a new table: a second ledger on the same database, as after a restart.
    const later = new Ledger({
      db: store.db,
      clock: made.clock,
      weights: { ...DEFAULT_WEIGHTS, review: 7 },
      space: 'x',
    });
    later.record({
      contributor: 'carol',
      kind: 'review',
      versionId: pale.latestVersionId,
      recordedBy: 'root',
      note: 'lovely',
    });
    const events = later.list().events;
    expect(events.map((e) => e.weight)).toEqual([10, 7]);
    expect(events[1]?.rule).toEqual({
      setting: 'commons.weights.review',
      weight: 7,
      table: { ...DEFAULT_WEIGHTS, review: 7 },
    });
  });

  it('cannot be edited: no API for it, and the database refuses UPDATE and DELETE', () => {
    ({ store } = makeStore());
    store.createRecipe({ document: beer('Pale'), author: 'alice' });
    const methods = Object.getOwnPropertyNames(Ledger.prototype);
    expect(methods.filter((m) => /update|delete|remove|edit|set/i.test(m))).toEqual([]);
    expect(() => store.db.prepare(`UPDATE ledger SET weight = 1000`).run()).toThrow(
      /COBREW_ERR_LEDGER_APPEND_ONLY/,
    );
    expect(() => store.db.prepare(`UPDATE ledger SET contributor = 'mallory'`).run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM ledger').run()).toThrow(/COBREW_ERR_LEDGER_APPEND_ONLY/);
    expect(store.ledger.list().events[0]).toMatchObject({ contributor: 'alice', weight: 10 });
  });

  it('filters by contributor, kind and versions, and totals per contributor', () => {
    ({ store } = makeStore());
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    store.addVersion(
      pale.id,
      { document: beer('Pale', { hopsG: 40 }), author: 'alice', note: 'hops' },
      alice,
    );
    store.fork(pale.latestVersionId, { author: 'bob' }, bob);
    expect(store.ledger.list({ contributor: 'alice' }).total).toBe(2);
    expect(store.ledger.list({ kind: 'fork' }).events.map((e) => e.contributor)).toEqual(['bob']);
    expect(store.ledger.list({ versionIds: [pale.latestVersionId] }).total).toBe(1);
    expect(store.ledger.list({ limit: 1, offset: 1 }).events.map((e) => e.seq)).toEqual([2]);
    expect(store.ledger.contributors().map((c) => [c.name, c.events, c.points])).toEqual([
      ['alice', 2, 20],
      ['bob', 1, 5],
    ]);
  });

  it('exports CSV and JSON', () => {
    const made = makeStore();
    store = made.store;
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    store.ledger.record({
      contributor: '=HYPERLINK("x")',
      kind: 'review',
      versionId: pale.latestVersionId,
      note: 'good, "really"\nsecond line',
      recordedBy: 'root',
    });
    const csv = ledgerCsv(store.ledger.list().events);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'seq,id,at,recorded_at,contributor,kind,weight,rule,recipe_id,version_id,brewlog_id,reference,note,space,recorded_by,pending,confirmed_by',
    );
    expect(lines[1]).toMatch(
      /^1,[0-9a-f-]{36},2026-05-01T00:00:00.000Z,2026-05-01T00:00:00.000Z,alice,version,10,commons.weights.version,/,
    );
    expect(csv).toContain(`"'=HYPERLINK(""x"")",review,1,`);
    expect(csv).toContain('"good, ""really""\nsecond line"');
    const json = ledgerJson(store.ledger.list().events, {
      space: 'Atelier Test',
      weights: DEFAULT_WEIGHTS,
      now: made.clock.now(),
    });
    expect(json).toMatchObject({ format: 'cobrew-ledger', formatVersion: 1, weights: DEFAULT_WEIGHTS });
    expect(json.events.map((e) => e.kind)).toEqual(['version', 'review']);
  });
});
