import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../dashboard/api/error-handler.js';
import { validatorCompiler } from '../../../dashboard/api/validation.js';
import { sharedProfileProblems } from '../../../firmware-bridge/boards/shared-profile.js';
import { commonsApi } from '../../../recipes/api/plugin.js';
import { exportBundle } from '../../../recipes/commons/bundle.js';
import { importBundle } from '../../../recipes/commons/bundle-import.js';
import { signBundle } from '../../../recipes/commons/bundle-sign.js';
import { admin, alice, bob, makeStore, SMALL_SSR } from './helpers.js';

/** A space whose shared board profiles are checked as cobrew.yaml checks board.custom. */
const hardwareStore = (name = 'Atelier A') =>
  makeStore({ space: { name, url: 'https://a.example.org' }, checkBoardProfile: sharedProfileProblems });

describe('hardware in the commons', () => {
  it('shares a board profile under a CERN licence, credited in the ledger, checked as board.custom is', () => {
    const { store } = hardwareStore();
    const hw = store.hardware.create(
      { kind: 'board-profile', title: 'Small SSR board', document: SMALL_SSR, licence: 'CERN-OHL-W-2.0' },
      alice,
    );
    expect(hw).toMatchObject({
      kind: 'board-profile',
      licence: 'CERN-OHL-W-2.0',
      owner: 'alice',
      local: true,
    });
    expect(hw.versions[0]?.document).toEqual(SMALL_SSR);
    const events = store.ledger.list({ kind: 'hardware' }).events;
    expect(events).toMatchObject([
      {
        contributor: 'alice',
        weight: 5,
        reference: `hardware ${hw.id} v1`,
        rule: { setting: 'commons.weights.hardware' },
      },
    ]);
    // A profile that is not one cobrew can check is refused, naming the field.
    const bad = { basedOn: 'ref-uno-r1', channels: { ssr1: { type: 'ssr', pin: 'D7', ratedA: -1 } } };
    expect(() => store.hardware.create({ kind: 'board-profile', title: 'x', document: bad }, alice)).toThrow(
      /COBREW_ERR_HARDWARE_DOCUMENT|board profile document cannot be stored: .*channels/,
    );
    expect(() =>
      store.hardware.create(
        { kind: 'board-profile', title: 'x', document: SMALL_SSR, licence: 'CC-BY-4.0' },
        alice,
      ),
    ).toThrow(/cannot be licensed CC-BY-4.0.*CERN-OHL-S-2.0, CERN-OHL-W-2.0, CERN-OHL-P-2.0/);
    // Versions: the owner or an admin, with a note.
    expect(() =>
      store.hardware.addVersion(hw.id, { title: 'x', document: SMALL_SSR, note: 'mine now' }, bob),
    ).toThrow(/Only alice/);
    const v2 = store.hardware.addVersion(
      hw.id,
      { title: 'Small SSR board', document: { ...SMALL_SSR, heaterCutOut: true }, note: 'cut-out fitted' },
      admin,
    );
    expect(v2.versions.map((v) => [v.number, v.author])).toEqual([
      [1, 'alice'],
      [2, 'root'],
    ]);
    expect(v2.authors).toEqual(['alice', 'root']);
  });

  it('records what a profile was derived from, under a licence its parent allows', () => {
    const { store } = hardwareStore();
    const strong = store.hardware.create(
      { kind: 'board-profile', title: 'S board', document: SMALL_SSR, licence: 'CERN-OHL-S-2.0' },
      alice,
    );
    const parent = strong.versions[0]?.id as string;
    expect(() =>
      store.hardware.create(
        {
          kind: 'board-profile',
          title: 'P copy',
          document: SMALL_SSR,
          licence: 'CERN-OHL-P-2.0',
          derivedFrom: parent,
        },
        bob,
      ),
    ).toThrow(
      /CERN-OHL-P-2.0 when derived from a CERN-OHL-S-2.0 contribution. Choose one of: CERN-OHL-S-2.0/,
    );
    const derived = store.hardware.create(
      { kind: 'board-profile', title: 'Bob’s board', document: SMALL_SSR, derivedFrom: parent },
      bob,
    );
    expect(derived.derivedFrom).toEqual({
      hardwareId: strong.id,
      versionId: parent,
      number: 1,
      title: 'S board',
    });
    const doc = { summary: 'The r1 board', text: '# Build\nSolder the SSR.', links: [] };
    const board = store.hardware.create({ kind: 'reference-board', title: 'r1', document: doc }, alice);
    expect(board.versions[0]?.document).toEqual(doc);
    expect(() =>
      store.hardware.create({ kind: 'reference-board', title: 'r1', document: { text: 1 } }, alice),
    ).toThrow(/reference board document cannot be stored/);
  });

  it('travels in bundles with its lineage, origin and credit; importing twice adds nothing', () => {
    const a = hardwareStore('Atelier A');
    const first = a.store.hardware.create(
      { kind: 'board-profile', title: 'Small SSR', document: SMALL_SSR },
      alice,
    );
    a.store.hardware.create(
      {
        kind: 'board-profile',
        title: 'Small SSR, no cut-out',
        document: { ...SMALL_SSR, heaterCutOut: false },
        derivedFrom: first.versions[0]?.id as string,
      },
      bob,
    );
    const { signature: _signed, ...exported } = exportBundle(a.store);
    expect(exported.hardware).toHaveLength(2);
    // Another space may list them in any order: the derived one first here.
    exported.hardware?.reverse();
    const bundle = signBundle(exported, a.store.key);
    const b = hardwareStore('Atelier B');
    const report = importBundle(b.store, JSON.parse(JSON.stringify(bundle)), {
      what: 'a.json',
      ledger: true,
    });
    expect(report.hardware).toEqual({ added: 2, known: 0 });
    const [one, two] = b.store.hardware.list();
    const fromA = (name: string) => `${name}@${a.store.space.id}`;
    expect(one).toMatchObject({
      local: false,
      origin: { id: a.store.space.id, name: 'Atelier A' },
      owner: fromA('alice'),
    });
    expect(two?.derivedFrom?.versionId).toBe(first.versions[0]?.id);
    expect(b.store.ledger.list({ kind: 'hardware' }).events.map((e) => [e.contributor, e.space])).toEqual([
      [fromA('alice'), 'Atelier A'],
      [fromA('bob'), 'Atelier A'],
    ]);
    expect(importBundle(b.store, bundle, { what: 'a.json', ledger: true }).hardware).toEqual({
      added: 0,
      known: 2,
    });
    // Only the home space adds versions.
    expect(() =>
      b.store.hardware.addVersion(one?.id as string, { title: 'x', document: SMALL_SSR, note: 'n' }, admin),
    ).toThrow(/COBREW_ERR_RECIPE_NOT_LOCAL|comes from Atelier A/);
    // An altered document is refused by its hash.
    const { signature: _, ...content } = JSON.parse(JSON.stringify(bundle));
    content.hardware[0].versions[0].document.channels.ssr1.ratedA = 50;
    // Signed again by its own space, as a space's own bug would: the hash still catches it.
    const altered = signBundle(content, a.store.key);
    const c = hardwareStore('Atelier C');
    expect(() => importBundle(c.store, altered, { what: 'a.json', ledger: true })).toThrow(
      /does not match its sha256/,
    );
    // A bundle without hardware is as before.
    expect('hardware' in exportBundle(c.store)).toBe(false);
  });
});

describe('hardware API', () => {
  it('lists, shares, versions and answers the licences; unknown ids are 404', async () => {
    const { store } = hardwareStore();
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    installErrorHandling(app);
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (req) => {
      const who = req.headers['x-test-user'];
      if (typeof who === 'string') (req as { user: unknown }).user = { name: who, role: 'member' };
    });
    await app.register(commonsApi, { store });
    try {
      const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
        const res = await app.inject({
          method,
          url,
          headers: { 'x-test-user': 'alice' },
          ...(payload ? { payload } : {}),
        });
        return { status: res.statusCode, json: () => res.json() };
      };
      const made = await call('POST', '/api/hardware', {
        kind: 'board-profile',
        title: 'Small SSR board',
        document: SMALL_SSR,
      });
      expect(made.status).toBe(201);
      const { id } = made.json();
      const v2 = await call('POST', `/api/hardware/${id}/versions`, {
        title: 'Small SSR board',
        document: { ...SMALL_SSR, heaterCutOut: true },
        note: 'cut-out fitted',
      });
      expect(v2.status).toBe(201);
      expect(v2.json().versions).toHaveLength(2);
      const list = (await call('GET', '/api/hardware?kind=board-profile')).json();
      expect(list.hardware.map((h: { id: string; licence: string }) => [h.id, h.licence])).toEqual([
        [id, 'CERN-OHL-S-2.0'],
      ]);
      expect((await call('GET', '/api/hardware?kind=reference-board')).json().hardware).toEqual([]);
      const licences = (await call('GET', '/api/hardware/licences')).json().licences;
      expect(licences.map((l: { id: string }) => l.id)).toEqual([
        'CERN-OHL-S-2.0',
        'CERN-OHL-W-2.0',
        'CERN-OHL-P-2.0',
      ]);
      const missing = await call('GET', '/api/hardware/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.json().code).toBe('COBREW_ERR_HARDWARE_NOT_FOUND');
    } finally {
      await app.close();
      store.close();
    }
  });
});
