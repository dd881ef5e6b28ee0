// Says when live updates are not arriving; the feed reconnects by itself.
import { connection } from '../live.js';
import { t } from '../prefs.js';

export function LiveBanner() {
  const c = connection.value;
  // The region stays in the page so screen readers announce its text when it appears.
  return (
    <div
      class={`live-banner ${c === 'open' ? 'hidden' : c}`}
      role="status"
      aria-live="polite"
      data-testid="live-banner"
    >
      {c === 'lost' ? t.value.live.lost : c === 'connecting' ? t.value.live.connecting : ''}
    </div>
  );
}
