import { describe, expect, it } from 'vitest';
import { admin, alice, bob, lager, makeStore } from './helpers.js';

const DAY = 24 * 3_600_000;

function setUp() {
  const { store, clock } = makeStore();
  const recipe = store.createRecipe({ document: lager('Helles'), author: alice.name });
  const now = clock.now();
  return { store, clock, now, versionId: recipe.latestVersionId };
}

describe('fermenter bookings', () => {
  it('refuses an overlapping booking, naming the batch, its booker and the period', () => {
    const { store, now } = setUp();
    const helles = store.bookings.book(
      { fermenterId: 'ale', name: 'Helles #1', startsAt: now + DAY, endsAt: now + 30 * DAY },
      alice,
    );
    expect(() =>
      store.bookings.book(
        { fermenterId: 'ale', name: 'Stout', startsAt: now + 20 * DAY, endsAt: now + 40 * DAY },
        bob,
      ),
    ).toThrow(
      `Fermenter ale is booked from ${new Date(now + DAY).toISOString()} to ${new Date(now + 30 * DAY).toISOString()} ` +
        `for batch "Helles #1" of alice (booking ${helles.id})`,
    );
    // Back to back, or another fermenter, is fine.
    store.bookings.book(
      { fermenterId: 'ale', name: 'Stout', startsAt: now + 30 * DAY, endsAt: now + 40 * DAY },
      bob,
    );
    store.bookings.book(
      { fermenterId: 'lager', name: 'Pils', startsAt: now + DAY, endsAt: now + 9 * DAY },
      bob,
    );
    expect(store.bookings.next('ale')?.id).toBe(helles.id);
    expect(store.bookings.list({ fermenterId: 'ale' }).map((b) => b.name)).toEqual(['Helles #1', 'Stout']);
  });

  it('checks the period and who cancels', () => {
    const { store, now } = setUp();
    expect(() =>
      store.bookings.book({ fermenterId: 'ale', name: 'x', startsAt: now + DAY, endsAt: now }, alice),
    ).toThrow(/ends .* after it starts/);
    expect(() =>
      store.bookings.book({ fermenterId: 'ale', name: 'x', startsAt: now, endsAt: now + 400 * DAY }, alice),
    ).toThrow(/at most a year/);
    const b = store.bookings.book({ fermenterId: 'ale', name: 'x', startsAt: now, endsAt: now + DAY }, alice);
    expect(() => store.bookings.cancel(b.id, bob)).toThrow(/Only alice/);
    store.bookings.cancel(b.id, admin);
    expect(store.bookings.list()).toEqual([]);
  });

  it('becomes the batch when started, and frees the rest of its period when the batch ends', () => {
    const { store, clock, now, versionId } = setUp();
    const booking = store.bookings.book(
      { fermenterId: 'ale', name: 'Helles #1', startsAt: now + DAY, endsAt: now + 30 * DAY },
      alice,
    );
    // Someone else's booking keeps others from starting over it.
    clock.advance(2 * DAY);
    expect(() => store.batches.start({ versionId, fermenterId: 'ale' }, bob)).toThrow(
      /booked .* for batch "Helles #1"/,
    );
    expect(() => store.batches.start({ versionId, fermenterId: 'ale', bookingId: booking.id }, bob)).toThrow(
      /alice's/,
    );
    const batch = store.batches.start({ versionId, fermenterId: 'ale', bookingId: booking.id }, alice);
    expect(batch.name).toBe('Helles #1');
    expect(store.bookings.get(booking.id).batchId).toBe(batch.id);
    expect(store.bookings.next('ale')).toBeNull();
    clock.advance(10 * DAY);
    store.batches.end(batch.id, alice);
    expect(store.bookings.get(booking.id).endsAt).toBe(now + 12 * DAY);
    store.bookings.book(
      { fermenterId: 'ale', name: 'Stout', startsAt: now + 13 * DAY, endsAt: now + 20 * DAY },
      bob,
    );
  });
});
