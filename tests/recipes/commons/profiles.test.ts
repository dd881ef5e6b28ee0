import { describe, expect, it } from 'vitest';
import { admin, alice, bob, lager, makeStore } from './helpers.js';

const steps = [
  { name: 'Primary', type: 'hold' as const, targetC: 12, durationH: 240 },
  { name: 'Diacetyl rest', type: 'ramp' as const, targetC: 18, durationH: 24 },
];

describe('saved profiles', () => {
  it('keeps immutable versions under a licence, credits every author and records each in the ledger', () => {
    const { store } = makeStore();
    const saved = store.profiles.create({ title: 'Lager classic', steps, licence: 'CC-BY-4.0' }, alice);
    expect(saved).toMatchObject({
      owner: 'alice',
      licence: 'CC-BY-4.0',
      title: 'Lager classic',
      authors: ['alice'],
    });
    expect(() => store.profiles.addVersion(saved.id, { title: 'x', steps, note: 'mine' }, bob)).toThrow(
      /Only alice/,
    );
    expect(() => store.profiles.addVersion(saved.id, { title: 'x', steps, note: ' ' }, alice)).toThrow(
      /change note/,
    );
    const next = store.profiles.addVersion(
      saved.id,
      {
        title: 'Lager classic, colder',
        steps: [{ name: 'Primary', type: 'hold', targetC: 10, durationH: 240 }],
        note: 'Colder primary',
      },
      admin,
    );
    expect(next.versions.map((v) => [v.number, v.author])).toEqual([
      [1, 'alice'],
      [2, 'root'],
    ]);
    expect(next.authors).toEqual(['alice', 'root']);
    expect(() => store.db.prepare('UPDATE profile_versions SET title = ?').run('changed')).toThrow(
      /COBREW_ERR_VERSION_IMMUTABLE/,
    );
    const events = store.ledger.list({ kind: 'profile' }).events;
    expect(events.map((e) => e.contributor).sort()).toEqual(['alice', 'root']);
    expect(() => store.profiles.create({ title: 'y', steps, licence: 'WTFPL-9' }, alice)).toThrow(
      /COBREW_ERR_LICENCE_UNKNOWN|not one cobrew knows/,
    );
  });

  it('starts a batch with a saved version kept as its profile', () => {
    const { store } = makeStore();
    const recipe = store.createRecipe({ document: lager('Helles'), author: alice.name });
    const saved = store.profiles.create({ title: 'Lager classic', steps }, bob);
    const version = store.profiles.version(saved.versions[0]?.id as string);
    const batch = store.batches.start(
      { versionId: recipe.latestVersionId, fermenterId: 'ale', profile: version.steps },
      alice,
    );
    expect(batch.profile).toEqual(steps);
  });
});
