import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../dashboard/api/error-handler.js';
import { validatorCompiler } from '../../../dashboard/api/validation.js';
import { commonsApi } from '../../../recipes/api/plugin.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import { beer, makeStore } from './helpers.js';

const open: Array<{ app: FastifyInstance; store: CommonsStore }> = [];
afterEach(async () => {
  for (const { app, store } of open.splice(0)) {
    await app.close();
    store.close();
  }
});

/**
 * The plugin on a bare fastify with the dashboard's validation and error shape. The dashboard's access check
 * is not here: a test header says who is asking, and route configs are collected to check minimum roles.
 */
async function api(space = 'Atelier Test') {
  const { store, clock } = makeStore({ space: { name: space, url: 'https://brew.example.org' } });
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  const roles = new Map<string, string | undefined>();
  app.addHook('onRoute', (route) => {
    const config = route.config as { minRole?: string } | undefined;
    for (const method of [route.method].flat()) roles.set(`${method} ${route.url}`, config?.minRole);
  });
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    const who = req.headers['x-test-user'];
    if (typeof who === 'string') {
      const [name, role] = who.split(':');
      (req as { user: unknown }).user = { name, role };
    }
  });
  await app.register(commonsApi, { store });
  await app.ready();
  open.push({ app, store });
  const call = async (method: string, url: string, user?: string, payload?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: user === undefined ? {} : { 'x-test-user': user },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body, json: () => res.json(), headers: res.headers };
  };
  return { app, store, clock, call, roles };
}

const ALICE = 'alice:member';
const BOB = 'bob:member';

describe('commons API', () => {
  it('creates, lists, versions, forks and attributes recipes; refuses incompatible licences', async () => {
    const { call } = await api();
    const created = await call('POST', '/api/recipes', ALICE, {
      document: beer('Pale <script>alert(1)</script>'),
      note: '<b>first</b>',
      licence: 'CC-BY-4.0',
    });
    expect(created.status).toBe(201);
    const recipe = created.json();
    expect(recipe).toMatchObject({ owner: 'alice', licence: 'CC-BY-4.0', versionCount: 1, local: true });
    // Untrusted text comes back exactly as given, as a JSON string.
    expect(recipe.title).toBe('Pale <script>alert(1)</script>');
    expect(created.headers['content-type']).toMatch(/^application\/json/);

    const v2 = await call('POST', `/api/recipes/${recipe.id}/versions`, ALICE, {
      document: beer('Pale', { hopsG: 40 }),
      note: 'hops up',
    });
    expect(v2.status).toBe(201);
    expect(v2.json()).toMatchObject({ number: 2, author: 'alice', note: 'hops up' });
    const noNote = await call('POST', `/api/recipes/${recipe.id}/versions`, ALICE, {
      document: beer('Pale'),
    });
    expect(noNote.status).toBe(400);
    expect(noNote.json().code).toBe('COBREW_ERR_INVALID');
    const notMine = await call('POST', `/api/recipes/${recipe.id}/versions`, BOB, {
      document: beer('P'),
      note: 'x',
    });
    expect(notMine.json()).toMatchObject({
      statusCode: 403,
      code: 'COBREW_ERR_FORBIDDEN',
      error: 'Forbidden',
    });

    const refused = await call('POST', `/api/recipes/${recipe.id}/versions/2/fork`, BOB, {
      licence: 'CC0-1.0',
    });
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'COBREW_ERR_LICENCE_INCOMPATIBLE', error: 'Bad Request' });
    expect(refused.json().message).toContain('Choose one of: CC-BY-4.0, CC-BY-SA-4.0');
    const fork = await call('POST', `/api/recipes/${recipe.id}/versions/2/fork`, BOB, {
      licence: 'CC-BY-SA-4.0',
      title: 'IPA',
      note: 'double hops',
    });
    expect(fork.status).toBe(201);
    const ipa = fork.json();
    expect(ipa).toMatchObject({
      owner: 'bob',
      licence: 'CC-BY-SA-4.0',
      forkedFrom: { recipeId: recipe.id, number: 2 },
    });

    const list = (await call('GET', '/api/recipes?q=ipa', 'carol:viewer')).json();
    expect(list.recipes.map((r: { id: string }) => r.id)).toEqual([ipa.id]);
    const detail = (await call('GET', `/api/recipes/${recipe.id}`, 'carol:viewer')).json();
    expect(detail.versions.map((v: { note: string }) => v.note)).toEqual(['<b>first</b>', 'hops up']);
    const version = (await call('GET', `/api/recipes/${ipa.id}/versions/1`, 'carol:viewer')).json();
    expect(version.document.beerjson.recipes[0].name).toBe('IPA');

    const figures = (await call('GET', `/api/recipes/${ipa.id}/versions/1/figures`, 'carol:viewer')).json();
    expect(figures.problem).toBeNull();
    expect(figures.figures.og).toBeGreaterThan(1.03);
    expect(figures.figures.og).toBeLessThan(1.07);
    expect(figures.figures.ibuTinseth).toBeGreaterThan(0);
    const lineage = (
      await call('GET', `/api/recipes/${recipe.id}/versions/1/lineage`, 'carol:viewer')
    ).json();
    expect(
      lineage.descendants.map((n: { recipeTitle: string; number: number }) => `${n.recipeTitle}#${n.number}`),
    ).toEqual(['Pale#2', 'IPA#1']);
    const attribution = (
      await call('GET', `/api/recipes/${ipa.id}/versions/1/attribution?lang=fr`, 'carol:viewer')
    ).json();
    expect(attribution.attribution.authors).toEqual(['alice', 'bob']);
    expect(attribution.text).toContain('dérivée de « Pale » version 2');
    expect(attribution.markdown).not.toContain('<script>');
    expect(attribution.markdown).not.toContain('<b>');

    const missing = await call('GET', '/api/recipes/nope', 'carol:viewer');
    expect(missing.json()).toMatchObject({
      statusCode: 404,
      code: 'COBREW_ERR_RECIPE_NOT_FOUND',
      error: 'Not Found',
    });
    const licences = (await call('GET', '/api/licences', 'carol:viewer')).json();
    expect(licences.default).toBe('CC-BY-SA-4.0');
    expect(licences.licences.find((l: { id: string }) => l.id === 'CC-BY-SA-4.0').forkLicences).toEqual([
      'CC-BY-SA-4.0',
    ]);
  });

  it('needs someone to credit for every change', async () => {
    const { call } = await api();
    const res = await call('POST', '/api/recipes', undefined, { document: beer('Anonymous') });
    expect(res.json()).toMatchObject({ statusCode: 401, code: 'COBREW_ERR_LOGIN_REQUIRED' });
  });

  it('declares the minimum roles: reads viewer, writes member, others’ contributions brewer, imports admin', async () => {
    const { roles } = await api();
    expect(roles.get('GET /api/recipes')).toBeUndefined();
    expect(roles.get('POST /api/recipes')).toBeUndefined();
    expect(roles.get('POST /api/ledger/events')).toBe('brewer');
    expect(roles.get('POST /api/commons/bundle')).toBe('admin');
  });

  it('runs brew logs: private to their brewer, readings, history link, as-brewed BeerJSON', async () => {
    const { call, clock } = await api();
    const recipe = (await call('POST', '/api/recipes', ALICE, { document: beer('Pale') })).json();
    const start = clock.now();
    const created = await call('POST', '/api/brewlogs', BOB, {
      versionId: recipe.latestVersionId,
      fermenterId: 'ale',
      startedAt: start,
      notes: '<img src=x onerror=alert(1)>',
    });
    expect(created.status).toBe(201);
    const log = created.json();
    expect(log).toMatchObject({
      brewer: 'bob',
      visibility: 'private',
      notes: '<img src=x onerror=alert(1)>',
    });
    expect(log.historyUrl).toBe(`/api/fermenters/ale/history?from=${start}`);
    expect((await call('GET', `/api/brewlogs/${log.id}`, ALICE)).status).toBe(404);
    expect((await call('GET', '/api/brewlogs', ALICE)).json().brewLogs).toEqual([]);
    expect((await call('PATCH', `/api/brewlogs/${log.id}`, ALICE, { notes: 'x' })).status).toBe(404);

    const bad = await call('POST', `/api/brewlogs/${log.id}/readings`, BOB, { at: start, gravity: 1048 });
    expect(bad.json()).toMatchObject({ statusCode: 400, code: 'COBREW_ERR_BREWLOG_INVALID' });
    const og = await call('POST', `/api/brewlogs/${log.id}/readings`, BOB, { at: start, gravity: 1.05 });
    expect(og.status).toBe(201);
    await call('POST', `/api/brewlogs/${log.id}/readings`, BOB, {
      at: start + 1,
      gravity: 1.01,
      source: 'ispindel',
    });
    const published = await call('PATCH', `/api/brewlogs/${log.id}`, BOB, {
      visibility: 'public',
      endedAt: start + 86_400_000,
    });
    expect(published.json()).toMatchObject({
      visibility: 'public',
      historyUrl: `/api/fermenters/ale/history?from=${start}&to=${start + 86_400_000}`,
    });
    expect((await call('GET', `/api/brewlogs?recipe=${recipe.id}`, ALICE)).json().brewLogs).toHaveLength(1);

    const asBrewed = await call('GET', `/api/brewlogs/${log.id}/beerjson`, ALICE);
    expect(asBrewed.headers['content-disposition']).toContain('attachment');
    expect(asBrewed.json().beerjson.recipes[0]).toMatchObject({
      original_gravity: { value: 1.05 },
      final_gravity: { value: 1.01 },
    });

    const gone = await call('DELETE', `/api/brewlogs/${log.id}/readings/${og.json().id}`, BOB);
    expect(gone.status).toBe(204);
    expect((await call('DELETE', `/api/brewlogs/${log.id}`, BOB)).status).toBe(204);
    expect((await call('GET', `/api/brewlogs/${log.id}`, BOB)).status).toBe(404);
  });

  it('shows the ledger, records contributions, exports it and splits a pot', async () => {
    const { call } = await api();
    const recipe = (await call('POST', '/api/recipes', ALICE, { document: beer('Pale') })).json();
    await call('POST', `/api/recipes/${recipe.id}/versions/1/fork`, BOB, {});
    const review = await call('POST', '/api/ledger/events', 'root:brewer', {
      contributor: 'carol',
      kind: 'review',
      versionId: recipe.latestVersionId,
      note: 'clean and bright',
    });
    expect(review.status).toBe(201);
    expect(review.json()).toMatchObject({
      contributor: 'carol',
      recordedBy: 'root',
      weight: 1,
      recipeId: recipe.id,
    });
    const notAKind = await call('POST', '/api/ledger/events', 'root:brewer', {
      contributor: 'x',
      kind: 'version',
    });
    expect(notAKind.status).toBe(400);

    const page = (await call('GET', '/api/ledger?limit=2', 'v:viewer')).json();
    expect(page.total).toBe(3);
    expect(page.events.map((e: { kind: string }) => e.kind)).toEqual(['version', 'fork']);
    expect(page.weights.version).toBe(10);
    const csv = await call('GET', '/api/ledger/export?format=csv', 'v:viewer');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')).toHaveLength(5);
    const json = (await call('GET', '/api/ledger/export', 'v:viewer')).json();
    expect(json.events).toHaveLength(3);
    const people = (await call('GET', '/api/contributors', 'v:viewer')).json();
    expect(people.contributors.map((c: { name: string }) => c.name)).toEqual(['alice', 'bob', 'carol']);

    const split = await call('GET', `/api/recipes/${recipe.id}/pot-split?amount=100.00`, 'v:viewer');
    expect(split.status).toBe(200);
    expect(
      split.json().shares.map((s: { contributor: string; amount: string }) => [s.contributor, s.amount]),
    ).toEqual([
      ['alice', '90.91'],
      ['carol', '9.09'],
    ]);
    expect(split.json().text).toContain('review of “Pale” version 1: commons.weights.review = 1 points');
    const badAmount = await call('GET', `/api/recipes/${recipe.id}/pot-split?amount=1e3`, 'v:viewer');
    expect(badAmount.json()).toMatchObject({ statusCode: 400, code: 'COBREW_ERR_AMOUNT_INVALID' });
  });

  it('exchanges bundles between spaces without duplicates', async () => {
    const north = await api('Atelier Nord');
    const recipe = (await north.call('POST', '/api/recipes', ALICE, { document: beer('Pale') })).json();
    await north.call('POST', '/api/recipes', ALICE, { document: beer('Secret'), visibility: 'private' });
    const bundle = await north.call('GET', '/api/commons/bundle', 'v:viewer');
    expect(bundle.headers['content-disposition']).toContain('cobrew-commons.json');
    expect(bundle.json().recipes).toHaveLength(1);

    const south = await api('Atelier Sud');
    const first = await south.call('POST', '/api/commons/bundle', 'root:admin', bundle.json());
    expect(first.json()).toMatchObject({ recipes: { added: 1, known: 0 }, versions: { added: 1, known: 0 } });
    const second = await south.call('POST', '/api/commons/bundle', 'root:admin', bundle.json());
    expect(second.json()).toMatchObject({
      recipes: { added: 0, known: 1 },
      versions: { added: 0, known: 1 },
    });
    const copy = (await south.call('GET', `/api/recipes/${recipe.id}`, 'v:viewer')).json();
    const northId = bundle.json().space.id;
    expect(copy).toMatchObject({
      owner: `alice@${northId}`,
      local: false,
      origin: { id: northId, name: 'Atelier Nord' },
    });
    const broken = await south.call('POST', '/api/commons/bundle', 'root:admin', {
      ...bundle.json(),
      formatVersion: 9,
    });
    expect(broken.json()).toMatchObject({ statusCode: 400, code: 'COBREW_ERR_INVALID' });
  });
});
