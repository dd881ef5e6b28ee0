import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AttributionStep,
  attributionMarkdown,
  attributionText,
} from '../../../recipes/commons/attribution.js';
import { recipesDbFile } from '../../../recipes/commons/db.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import type { LineageNode } from '../../../recipes/commons/types.js';
import { admin, alice, beer, bob, carol, makeStore } from './helpers.js';

let store: CommonsStore;
afterEach(() => store?.close());

function setUp() {
  const made = makeStore();
  store = made.store;
  return made;
}

describe('recipes and versions', () => {
  it('creates a recipe whose first version keeps author, time, note and the document as given', () => {
    const { clock } = setUp();
    const doc = beer('Pale ale');
    const recipe = store.createRecipe({ document: doc, author: 'alice', note: 'first try' });
    expect(recipe).toMatchObject({
      title: 'Pale ale',
      licence: 'CC-BY-SA-4.0',
      visibility: 'public',
      owner: 'alice',
      local: true,
      versionCount: 1,
      forkedFrom: null,
      origin: { name: 'Atelier Test', url: 'https://brew.example.org' },
    });
    const v1 = store.getVersion(recipe.id, 1, null);
    expect(v1).toMatchObject({ author: 'alice', note: 'first try', createdAt: clock.now(), parentId: null });
    expect(v1.document).toEqual(doc);
    expect(v1.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('adds versions in order, each made from the previous one', () => {
    const { clock } = setUp();
    const recipe = store.createRecipe({ document: beer('Pale ale'), author: 'alice' });
    clock.advance(60_000);
    const v2 = store.addVersion(
      recipe.id,
      { document: beer('Pale ale', { hopsG: 50 }), author: 'alice', note: 'more hops' },
      alice,
    );
    expect(v2).toMatchObject({ number: 2, parentId: recipe.latestVersionId, note: 'more hops' });
    const detail = store.getRecipe(recipe.id, null);
    expect(detail.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(detail.latestVersionId).toBe(v2.id);
    expect(detail.updatedAt).toBe(clock.now());
  });

  it('refuses a version without a change note, from someone else, or with an invalid document', () => {
    setUp();
    const recipe = store.createRecipe({ document: beer('Pale ale'), author: 'alice' });
    expect(() =>
      store.addVersion(recipe.id, { document: beer('x'), author: 'alice', note: ' ' }, alice),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_CHANGE_NOTE_MISSING' }));
    expect(() =>
      store.addVersion(recipe.id, { document: beer('x'), author: 'bob', note: 'mine' }, bob),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_FORBIDDEN', statusCode: 403 }));
    expect(() =>
      store.addVersion(
        recipe.id,
        { document: { beerjson: { version: 1, recipes: [{}] } }, author: 'alice', note: 'n' },
        alice,
      ),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_RECIPE_DOCUMENT' }));
    const two = {
      beerjson: {
        version: 1,
        recipes: [
          ...(beer('a') as { beerjson: { recipes: unknown[] } }).beerjson.recipes,
          ...(beer('b') as { beerjson: { recipes: unknown[] } }).beerjson.recipes,
        ],
      },
    };
    expect(() => store.createRecipe({ document: two, author: 'alice' })).toThrow(/holds 2 recipes/);
    // An admin may add a version to anyone's recipe.
    expect(
      store.addVersion(recipe.id, { document: beer('Pale ale'), author: 'root', note: 'fix' }, admin).number,
    ).toBe(2);
    expect(store.getRecipe(recipe.id, null).versionCount).toBe(2);
  });

  it('never changes or removes a version, even through SQL', () => {
    setUp();
    const recipe = store.createRecipe({ document: beer('Pale ale'), author: 'alice' });
    expect(() => store.db.prepare(`UPDATE versions SET note = 'rewritten'`).run()).toThrow(
      /VERSION_IMMUTABLE/,
    );
    expect(() => store.db.prepare('DELETE FROM versions').run()).toThrow(/VERSION_IMMUTABLE/);
    expect(() => store.db.prepare(`UPDATE recipes SET licence = 'CC0-1.0'`).run()).toThrow(
      /RECIPE_IMMUTABLE/,
    );
    expect(() => store.db.prepare('DELETE FROM recipes').run()).toThrow(/RECIPE_IMMUTABLE/);
    expect(store.getVersion(recipe.id, 1, null).note).toBe('');
  });

  it('hides private recipes from others and lets a fork of one stay private only', () => {
    setUp();
    const secret = store.createRecipe({ document: beer('Secret'), author: 'alice', visibility: 'private' });
    expect(() => store.getRecipe(secret.id, bob)).toThrow(expect.objectContaining({ statusCode: 404 }));
    expect(() => store.getRecipe(secret.id, null)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_RECIPE_NOT_FOUND' }),
    );
    expect(store.getRecipe(secret.id, admin).title).toBe('Secret');
    expect(store.listRecipes({}, bob).total).toBe(0);
    expect(store.listRecipes({}, alice).total).toBe(1);
    expect(() => store.fork(secret.latestVersionId, { author: 'bob' }, bob)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_RECIPE_VERSION_NOT_FOUND' }),
    );
    expect(() =>
      store.fork(secret.latestVersionId, { author: 'alice', visibility: 'public' }, alice),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_VISIBILITY' }));
    const fork = store.fork(secret.latestVersionId, { author: 'alice' }, alice);
    expect(fork.visibility).toBe('private');
    expect(() => store.publish(fork.id, alice)).toThrow(/publish that one first/);
    expect(() => store.publish(secret.id, bob)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_RECIPE_NOT_FOUND' }),
    );
    store.publish(secret.id, alice);
    expect(store.publish(fork.id, alice).visibility).toBe('public');
    // Published for good: copies may already travel.
    expect(() => store.db.prepare(`UPDATE recipes SET visibility = 'private'`).run()).toThrow(/stays public/);
  });

  it('searches titles and authors, with LIKE wildcards taken literally', () => {
    const { clock } = setUp();
    store.createRecipe({ document: beer('Saison 100%'), author: 'alice' });
    clock.advance(1000);
    const stout = store.createRecipe({ document: beer('Stout'), author: 'bob' });
    clock.advance(1000);
    store.createRecipe({ document: beer('Pale'), author: 'carol', licence: 'CC0-1.0' });
    expect(store.listRecipes({ q: 'SAISON' }, null).recipes.map((r) => r.title)).toEqual(['Saison 100%']);
    expect(store.listRecipes({ q: '0%' }, null).total).toBe(1);
    expect(store.listRecipes({ q: '_' }, null).total).toBe(0);
    expect(store.listRecipes({ q: 'bob' }, null).recipes[0]?.id).toBe(stout.id);
    expect(store.listRecipes({ licence: 'CC0-1.0' }, null).recipes.map((r) => r.title)).toEqual(['Pale']);
    // Newest first, and paged.
    const page = store.listRecipes({ limit: 2, offset: 1 }, null);
    expect(page.total).toBe(3);
    expect(page.recipes.map((r) => r.title)).toEqual(['Stout', 'Saison 100%']);
  });
});

describe('database', () => {
  it('refuses a recipes.db written by a newer cobrew, naming the file and its schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobrew-recipes-'));
    try {
      const file = recipesDbFile(dir);
      makeStore({ file }).store.close();
      const raw = new Database(file);
      raw.pragma('user_version = 9');
      raw.close();
      expect(() => makeStore({ file })).toThrow(
        expect.objectContaining({
          code: 'COBREW_ERR_RECIPES_DB_TOO_NEW',
          message: `${file} was written by a newer cobrew (schema 9; this one reads up to 8). Upgrade cobrew to open it.`,
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a schema 1 recipes.db in place, keeping its brew logs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobrew-recipes-'));
    try {
      const file = recipesDbFile(dir);
      const first = makeStore({ file }).store;
      const recipe = first.createRecipe({ document: beer('Old'), author: 'alice' });
      const log = first.brewLogs.create(
        { versionId: recipe.latestVersionId, fermenterId: 'ale', startedAt: 0 },
        { name: 'alice', admin: false },
      );
      first.close();
      // Back to schema 1 as an older cobrew wrote it.
      const raw = new Database(file);
      raw.exec(
        'DROP TABLE hardware_versions; DROP TABLE hardware; DROP TABLE batch_consumables; ' +
          'DROP TABLE ledger_confirmations; DROP TRIGGER recipes_origin_id_fixed; ALTER TABLE recipes DROP COLUMN origin_id; ALTER TABLE brewlogs DROP COLUMN origin_id; ' +
          'DROP TABLE profile_versions; DROP TABLE profiles; DROP TABLE bookings; DROP INDEX brewlogs_open_by_fermenter; DROP TABLE batch_cobrewers; ALTER TABLE brewlogs DROP COLUMN profile',
      );
      raw.pragma('user_version = 1');
      raw.close();
      const { store: again } = makeStore({ file });
      expect(again.batches.onFermenter('ale')).toMatchObject({
        batchId: log.id,
        owner: 'alice',
        coBrewers: [],
      });
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('forks, lineage and licences', () => {
  function family() {
    const { clock } = setUp();
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice', note: 'base' });
    clock.advance(1000);
    const pale2 = store.addVersion(
      pale.id,
      { document: beer('Pale', { hopsG: 40 }), author: 'alice', note: 'hops 30→40 g' },
      alice,
    );
    clock.advance(1000);
    const ipa = store.fork(
      pale2.id,
      { author: 'bob', title: 'IPA', note: 'double hops', document: beer('x', { hopsG: 80 }) },
      bob,
    );
    clock.advance(1000);
    const ipa2 = store.addVersion(
      ipa.id,
      { document: beer('IPA', { hopsG: 90 }), author: 'bob', note: 'a touch more' },
      bob,
    );
    clock.advance(1000);
    const session = store.fork(ipa2.id, { author: 'carol', title: 'Session IPA', note: 'less malt' }, carol);
    clock.advance(1000);
    const other = store.fork(pale.latestVersionId, { author: 'carol', note: 'kept v1' }, carol);
    return { pale, pale2, ipa, ipa2, session, other };
  }

  it('a fork is a new recipe whose first version records the parent version', () => {
    const { pale, pale2, ipa, other } = family();
    expect(ipa).toMatchObject({ title: 'IPA', owner: 'bob', licence: 'CC-BY-SA-4.0', versionCount: 1 });
    expect(ipa.forkedFrom).toEqual({ recipeId: pale.id, versionId: pale2.id, number: 2, title: 'Pale' });
    const first = store.getVersion(ipa.id, 1, null);
    expect(first.parentId).toBe(pale2.id);
    // The title given renames the recipe inside the document too.
    expect(
      (first.document as { beerjson: { recipes: Array<{ name: string }> } }).beerjson.recipes[0]?.name,
    ).toBe('IPA');
    // A fork without a document starts from the parent's.
    expect(store.getVersion(other.id, 1, null).sha256).toBe(pale.versions[0]?.sha256);
    expect(store.getVersion(ipa.id, 1, null).sha256).not.toBe(pale2.sha256);
  });

  it('gives ancestors oldest first and descendants nearest first, across recipes', () => {
    const { pale, pale2, ipa, ipa2, session, other } = family();
    const lineage = store.lineage(session.latestVersionId, null);
    expect((lineage.ancestors as LineageNode[]).map((n) => `${n.recipeTitle}#${n.number}`)).toEqual([
      'Pale#1',
      'Pale#2',
      'IPA#1',
      'IPA#2',
    ]);
    expect(lineage.ancestors.map((n) => n.distance)).toEqual([4, 3, 2, 1]);
    expect(lineage.descendants).toEqual([]);
    const fromRoot = store.lineage(pale.versions[0]?.id as string, null);
    expect(fromRoot.ancestors).toEqual([]);
    expect(fromRoot.descendants.map((n) => [n.id, n.distance])).toEqual([
      [pale2.id, 1],
      [other.latestVersionId, 1],
      [ipa.latestVersionId, 2],
      [ipa2.id, 3],
      [session.latestVersionId, 4],
    ]);
    expect(store.lineage(ipa2.id, null).descendants.map((n) => n.recipeTitle)).toEqual(['Session IPA']);
  });

  it('hides private descendants from others', () => {
    const { pale } = family();
    const mine = store.fork(
      pale.latestVersionId,
      { author: 'bob', visibility: 'private', note: 'secret' },
      bob,
    );
    const root = pale.versions[0]?.id as string;
    expect(store.lineage(root, bob).descendants.map((n) => n.recipeId)).toContain(mine.id);
    expect(store.lineage(root, alice).descendants.map((n) => n.recipeId)).not.toContain(mine.id);
  });

  it.each([
    ['CC-BY-SA-4.0', 'CC-BY-4.0', false],
    ['CC-BY-SA-4.0', 'CC0-1.0', false],
    ['CC-BY-SA-4.0', 'LicenseRef-PPL', false],
    ['CC-BY-SA-4.0', 'CC-BY-SA-4.0', true],
    ['CC-BY-4.0', 'CC-BY-4.0', true],
    ['CC-BY-4.0', 'CC-BY-SA-4.0', true],
    ['CC-BY-4.0', 'CC0-1.0', false],
    ['CC0-1.0', 'LicenseRef-PPL', true],
    ['CC0-1.0', 'CC-BY-4.0', true],
    ['LicenseRef-PPL', 'LicenseRef-PPL', true],
    ['LicenseRef-PPL', 'CC-BY-SA-4.0', false],
  ])('a fork of a %s recipe licensed %s: allowed %s', (parent, child, allowed) => {
    setUp();
    const recipe = store.createRecipe({ document: beer('Base'), author: 'alice', licence: parent });
    const attempt = () => store.fork(recipe.latestVersionId, { author: 'bob', licence: child }, bob);
    if (allowed) expect(attempt().licence).toBe(child);
    else
      expect(attempt).toThrow(
        expect.objectContaining({ code: 'COBREW_ERR_LICENCE_INCOMPATIBLE', statusCode: 400 }),
      );
  });

  it('explains a refused licence and lists what is allowed', () => {
    setUp();
    const recipe = store.createRecipe({ document: beer('Base'), author: 'alice', licence: 'CC-BY-4.0' });
    expect(() => store.fork(recipe.latestVersionId, { author: 'bob', licence: 'CC0-1.0' }, bob)).toThrow(
      'A fork of a CC-BY-4.0 recipe cannot be licensed CC0-1.0: the commons keeps adaptations of an Attribution ' +
        'work open: Attribution or Attribution-ShareAlike. Choose one of: CC-BY-4.0, CC-BY-SA-4.0.',
    );
    expect(() => store.createRecipe({ document: beer('x'), author: 'a', licence: 'MIT' })).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_LICENCE_UNKNOWN' }),
    );
  });

  it('keeps licence and lineage beside the document, never inside it', () => {
    const { session } = family();
    const text = JSON.stringify(store.getVersion(session.id, 1, null).document);
    expect(text).not.toMatch(/CC-BY|licen[cs]e|parent/i);
  });

  it('attributes every author, step and change along the lineage, with links and the licence', () => {
    const { pale, ipa, session } = family();
    const a = store.attribution(session.latestVersionId, null);
    expect(a.title).toBe('Session IPA');
    expect(a.licence.id).toBe('CC-BY-SA-4.0');
    expect(a.authors).toEqual(['alice', 'bob', 'carol']);
    expect((a.steps as AttributionStep[]).map((s) => [s.kind, s.title, s.number, s.author, s.note])).toEqual([
      ['created', 'Pale', 1, 'alice', 'base'],
      ['revised', 'Pale', 2, 'alice', 'hops 30→40 g'],
      ['forked', 'IPA', 1, 'bob', 'double hops'],
      ['revised', 'IPA', 2, 'bob', 'a touch more'],
      ['forked', 'Session IPA', 1, 'carol', 'less malt'],
    ]);
    expect((a.steps[0] as AttributionStep).link).toBe(
      `https://brew.example.org/api/recipes/${pale.id}/versions/1`,
    );
    expect((a.steps[2] as AttributionStep).forkedFrom).toEqual({ title: 'Pale', number: 2 });
    const text = attributionText(a);
    expect(text).toContain('“Session IPA”, version 1');
    expect(text).toContain('Authors: alice, bob, carol');
    expect(text).toContain(
      `3. “IPA” version 1 by bob, 2026-05-01, Atelier Test, CC-BY-SA-4.0: forked from “Pale” version 2. double hops`,
    );
    expect(text).toContain(`https://brew.example.org/api/recipes/${ipa.id}/versions/1`);
    const fr = attributionText(a, 'fr');
    expect(fr).toContain('Auteurs: alice, bob, carol');
    expect(fr).toContain('dérivée de « Pale » version 2');
  });

  it('writes untrusted notes into Markdown as text', () => {
    setUp();
    const recipe = store.createRecipe({
      document: beer('<script>alert(1)</script>'),
      author: 'alice',
      note: '[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**',
    });
    const md = attributionMarkdown(store.attribution(recipe.latestVersionId, null));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('](javascript');
    expect(md).toContain('&lt;script&gt;'.replace('&gt;', '\\>'));
    expect(md).toContain('\\*\\*bold\\*\\*');
  });
});
