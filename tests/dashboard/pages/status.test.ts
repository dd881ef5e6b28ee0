// The status page shows the board kind and marks a board that is not the reference design as modified.
import { describe, expect, it } from 'vitest';
import { renderFermenterList } from '../../../dashboard/pages/status.js';
import type { FermenterState } from '../../../firmware-bridge/types.js';

const state = (board: FermenterState['board']): FermenterState => ({
  id: 'ale',
  name: 'Ale',
  at: Date.UTC(2026, 0, 1),
  beerC: 18,
  chamberC: 17,
  ambientC: 20,
  mode: 'beer',
  beerSetpointC: 18,
  chamberSetpointC: 17,
  outputs: { heat: false, cool: false },
  controllerState: 'idle',
  safety: { status: 'ok', trips: [], alarms: [] },
  gravity: null,
  hydrometerBatteryV: null,
  board,
});

const view = (s: FermenterState) => [{ id: s.id, name: s.name, state: s, receivedAt: s.at, online: true }];

describe('status page board', () => {
  it('marks a modified board, in both languages, with its deviations in the title', () => {
    const s = state({
      kind: 'cobrew',
      profile: 'custom',
      modified: true,
      deviations: ['channels.relay1.resistiveA: 16 → 30'],
      firmware: 'cobrew-ref 1.0.0',
      connected: true,
    });
    const en = renderFermenterList('en', view(s)).toString();
    expect(en).toContain('<code>cobrew</code> custom · cobrew-ref 1.0.0');
    expect(en).toContain('class="badge board-modified"');
    expect(en).toContain('channels.relay1.resistiveA: 16 → 30');
    expect(en).toContain('>modified</span>');
    expect(renderFermenterList('fr', view(s)).toString()).toContain('>modifiée</span>');
  });

  it('shows a reference board without the badge, and says when it is not connected', () => {
    const s = state({
      kind: 'cobrew',
      profile: 'ref-uno-r1',
      modified: false,
      deviations: [],
      connected: false,
    });
    const en = renderFermenterList('en', view(s)).toString();
    expect(en).toContain('<code>cobrew</code> ref-uno-r1 · not connected');
    expect(en).not.toContain('board-modified');
  });
});
