// Finding 8 for shared hardware: only the space a board profile or reference board was made in adds versions
// to it, and its people come in named with that space, as recipes' do.
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { importBundle } from '../../recipes/commons/bundle-import.js';
import { alice } from '../recipes/commons/helpers.js';
import { contentOf, signedBy, space } from './spaces.js';

const opts = { what: 'bundle.json', ledger: true };
const board = { summary: 'A heater SSR and a compressor relay on an Uno', text: 'Wire it so.', links: [] };

describe("a bundle cannot add versions to another space's hardware", () => {
  it('refuses a version signed by another space and names the origin space', () => {
    const north = space('Atelier Nord');
    const hw = north.store.hardware.create(
      { kind: 'reference-board', title: 'Board', document: board, licence: 'CERN-OHL-S-2.0' },
      alice,
    );
    const south = space('Atelier Sud');
    importBundle(south.store, exportBundle(north.store), opts);
    const held = south.store.hardware.get(hw.id);
    expect(held).toMatchObject({ origin: { id: north.key.id }, owner: `alice@${north.key.id}` });
    expect(held.authors).toEqual([`alice@${north.key.id}`]);

    // Mallory passes north's board on with a second version of her own.
    const mallory = space('Mallory');
    const content = contentOf(north);
    const item = content.hardware?.[0];
    const first = item?.versions[0];
    if (item === undefined || first === undefined) throw new Error('no hardware exported');
    item.versions.push({
      ...first,
      id: crypto.randomUUID(),
      number: 2,
      parentId: first.id,
      title: 'Mine now',
    });
    const ledger = south.store.ledger.list().total;
    expect(() => importBundle(south.store, signedBy(content, mallory), opts)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_BUNDLE_ORIGIN' }),
    );
    expect(south.store.hardware.get(hw.id).versions).toHaveLength(1);
    expect(south.store.ledger.list().total).toBe(ledger);

    // North's own second version comes through.
    north.store.hardware.addVersion(
      hw.id,
      { title: 'Board r2', document: board, note: 'thicker traces' },
      alice,
    );
    expect(importBundle(south.store, exportBundle(north.store), opts).hardware).toEqual({
      added: 1,
      known: 1,
    });
  });
});
