import { describe, expect, it } from 'vitest';
import { topicsFor } from '../../broker/topics.js';
import { StateStore } from '../../dashboard/state-store.js';

const list = (...ids: string[]) => Buffer.from(JSON.stringify({ fermenters: ids }));

describe('state store: availability of fermenters and their bridges', () => {
  it("shows a bridge's fermenters offline while the bridge is, whatever their own availability says", () => {
    const store = new StateStore(topicsFor('cobrew'));
    for (const id of ['ale', 'lager']) store.ingestAvailability(id, Buffer.from('online'));
    expect(store.ingestBridgeFermenters('cellar', list('ale')).accepted).toBe(true);
    store.ingestBridgeFermenters('attic', list('lager'));
    store.ingestBridgeAvailability('attic', Buffer.from('online'));
    expect([store.online('ale'), store.online('lager')]).toEqual([true, true]);

    // The attic bridge dies: its last will says offline, the fermenter's own topic still says online.
    expect(store.ingestBridgeAvailability('attic', Buffer.from('offline'))).toBe(true);
    expect([store.online('ale'), store.online('lager')]).toEqual([true, false]);
    expect(store.fermentersOf('attic')).toEqual(['lager']);

    store.ingestBridgeAvailability('attic', Buffer.from('online'));
    expect(store.online('lager')).toBe(true);
  });

  it('follows a bridge that changes its fermenters, and refuses a list that is not one', () => {
    const store = new StateStore(topicsFor('cobrew'));
    store.ingestBridgeFermenters('cellar', list('ale', 'stout'));
    store.ingestBridgeFermenters('cellar', list('stout'));
    store.ingestBridgeAvailability('cellar', Buffer.from('offline'));
    store.ingestAvailability('ale', Buffer.from('online'));
    expect([store.online('ale'), store.online('stout')]).toEqual([true, false]);
    expect(store.ingestBridgeFermenters('cellar', Buffer.from('{"fermenters":"stout"}')).accepted).toBe(
      false,
    );
    expect(store.ingestBridgeFermenters('cellar', Buffer.from('not json')).accepted).toBe(false);
    expect(store.ingestBridgeAvailability('cellar', Buffer.from('gone'))).toBe(false);
    expect(store.fermentersOf('cellar')).toEqual(['stout']);
  });
});
