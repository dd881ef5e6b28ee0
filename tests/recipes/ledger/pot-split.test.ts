import { afterEach, describe, expect, it } from 'vitest';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import { formatCents, parseAmount } from '../../../recipes/ledger/money.js';
import { type Contribution, splitPot } from '../../../recipes/ledger/pot-split.js';
import { splitRecipePot, splitText } from '../../../recipes/ledger/recipe-split.js';
import { alice, beer, bob, carol, makeStore } from '../commons/helpers.js';

const c = (contributor: string, weight: number, seq: number): Contribution => ({
  eventId: `e${seq}`,
  seq,
  at: 0,
  contributor,
  kind: 'version',
  subject: `thing ${seq}`,
  rule: 'commons.weights.version',
  weight,
});

describe('money', () => {
  it('parses decimal amounts into cents and back', () => {
    expect(parseAmount('100.00')).toBe(10000n);
    expect(parseAmount('0.5')).toBe(50n);
    expect(parseAmount('12')).toBe(1200n);
    expect(formatCents(123456n)).toBe('1234.56');
    for (const bad of ['', '-1', '1.001', '1,50', '1e3', 'abc', '0', '0.00']) {
      expect(() => parseAmount(bad)).toThrow(expect.objectContaining({ code: 'COBREW_ERR_AMOUNT_INVALID' }));
    }
  });
});

describe('splitPot', () => {
  it('gives leftover cents to the largest remainders, ties to the name first in order', () => {
    // 100.00 in thirds: 33.333… each; the one cent left goes to the first name.
    const split = splitPot(10000n, [c('carol', 1, 3), c('bob', 1, 2), c('alice', 1, 1)]);
    expect(split.shares.map((s) => [s.contributor, s.amount, s.extraCent])).toEqual([
      ['alice', '33.34', 1],
      ['bob', '33.33', 0],
      ['carol', '33.33', 0],
    ]);
    expect(split.shares[0]?.exact).toBe('33.333333…');
    // Largest remainder beats name order: 10/37 and 27/37 of 1.00 → 27.027… and 72.972…
    const uneven = splitPot(100n, [c('alice', 10, 1), c('zoe', 27, 2)]);
    expect(uneven.shares.map((s) => [s.contributor, s.amount])).toEqual([
      ['zoe', '0.73'],
      ['alice', '0.27'],
    ]);
  });

  it('always sums exactly to the amount, and is deterministic whatever the input order', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 300; round++) {
      const people = ['ana', 'bo', 'chloé', 'dé', 'eve', 'fu', 'gil'].slice(0, 1 + Math.floor(random() * 7));
      const list = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) =>
        c(people[Math.floor(random() * people.length)] as string, Math.floor(random() * 12), i + 1),
      );
      if (list.every((x) => x.weight === 0)) continue;
      const cents = BigInt(1 + Math.floor(random() * 1_000_000));
      const split = splitPot(cents, list);
      const sum = split.shares.reduce((s, x) => s + parseAmountOrZero(x.amount), 0n);
      expect(sum).toBe(cents);
      expect(splitPot(cents, [...list].reverse())).toEqual(split);
      for (const s of split.shares) {
        expect(s.lines.reduce((p, l) => p + l.weight, 0)).toBe(s.points);
      }
    }
  });

  it('refuses to split by nothing', () => {
    expect(() => splitPot(100n, [c('alice', 0, 1)])).toThrow(RangeError);
  });
});

function parseAmountOrZero(text: string): bigint {
  return text === '0.00' ? 0n : parseAmount(text);
}

describe('pot split of a recipe', () => {
  let store: CommonsStore;
  afterEach(() => store?.close());

  it('shares along the lineage only, explaining every line', () => {
    const made = makeStore();
    store = made.store;
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    const ipa = store.fork(pale.latestVersionId, { author: 'bob', title: 'IPA' }, bob);
    const ipa2 = store.addVersion(
      ipa.id,
      { document: beer('IPA', { hopsG: 90 }), author: 'bob', note: 'hops' },
      bob,
    );
    // Not in the IPA's lineage: a sibling fork, and a later version of the pale ale.
    store.fork(pale.latestVersionId, { author: 'carol' }, carol);
    store.addVersion(
      pale.id,
      { document: beer('Pale', { hopsG: 45 }), author: 'alice', note: 'later' },
      alice,
    );
    const log = store.brewLogs.create(
      { versionId: ipa2.id, startedAt: made.clock.now(), visibility: 'public' },
      carol,
    );
    store.ledger.record({
      contributor: 'dan',
      kind: 'review',
      versionId: ipa2.id,
      reference: 'tasting',
      recordedBy: 'root',
    });
    expect(log.id).toBeTruthy();

    const split = splitRecipePot(store, ipa.id, '100.00', {}, null);
    // alice 10 (Pale v1), bob 5 (fork) + 10 (IPA v2), carol 4 (brew log), dan 1 (review) = 30 points.
    expect(split.totalPoints).toBe(30);
    expect(split.shares.map((s) => [s.contributor, s.points, s.amount])).toEqual([
      ['bob', 15, '50.00'],
      ['alice', 10, '33.34'],
      ['carol', 4, '13.33'],
      ['dan', 1, '3.33'],
    ]);
    const bobLines = split.shares[0]?.lines.map((l) => [l.kind, l.subject, l.rule, l.weight, l.exact]);
    expect(bobLines).toEqual([
      ['fork', 'forked into “IPA” version 1', 'commons.weights.fork', 5, '16.666666…'],
      ['version', 'authored “IPA” version 2', 'commons.weights.version', 10, '33.333333…'],
    ]);
    const text = splitText(split);
    expect(text).toContain('Pot split of 100.00 for “IPA” version 2: 30 points in all.');
    // Equal remainders (a third of a cent each): the leftover cent goes to the first name.
    expect(text).toContain('alice: 10/30 of 100.00 = 33.333333… → 33.34 (33.33 + 0.01 by largest remainder)');
    expect(text).toContain('dan: 1/30 of 100.00 = 3.333333… → 3.33\n');
    expect(text).toContain(
      'review of “IPA” version 2 (tasting): commons.weights.review = 1 points → 3.333333…',
    );
    // Version 1 of the IPA: only the fork and the pale ale's first version count.
    expect(
      splitRecipePot(store, ipa.id, '10', { version: 1 }, null).shares.map((s) => [s.contributor, s.amount]),
    ).toEqual([
      ['alice', '6.67'],
      ['bob', '3.33'],
    ]);
    expect(splitRecipePot(store, ipa.id, '100.00', {}, null)).toEqual(split);
  });

  it('says so when nobody along the lineage has points', () => {
    ({ store } = makeStore({
      weights: { version: 0, fork: 0, brewlog: 0, review: 0, translation: 0, profile: 0, hardware: 0 },
    }));
    const pale = store.createRecipe({ document: beer('Pale'), author: 'alice' });
    expect(() => splitRecipePot(store, pale.id, '10.00', {}, null)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_NOTHING_TO_SPLIT', statusCode: 409 }),
    );
  });
});
