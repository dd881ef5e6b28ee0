// Runs in the browser: every couple of seconds, fetch the freshly rendered list in the page's language and
// swap it in; show a notice while the server cannot be reached.
import { REFRESH_MS } from './status.js';

export const STATUS_SCRIPT = `(() => {
  const lang = document.documentElement.lang;
  const list = document.getElementById('fermenters');
  const notice = document.getElementById('connection');
  async function refresh() {
    try {
      const res = await fetch('/fragments/fermenters?lang=' + encodeURIComponent(lang), { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      list.innerHTML = await res.text();
      notice.hidden = true;
    } catch {
      notice.hidden = false;
    }
  }
  setInterval(refresh, ${REFRESH_MS});
})();
`;
