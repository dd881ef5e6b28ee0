// The frame around every page: skip link, header with navigation and preferences, the live banner, and
// the page of the current route. Signed-out readers see only the login form.
import { useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { Header } from './components/header.js';
import { LiveBanner } from './components/live-banner.js';
import { startLive, stopLive } from './live.js';
import { Alerts } from './pages/alerts.js';
import { Calibration } from './pages/calibration.js';
import { Detail } from './pages/detail.js';
import { Incidents } from './pages/incidents.js';
import { Login } from './pages/login.js';
import { Overview } from './pages/overview.js';
import { ProfileEditor } from './pages/profile.js';
import { Commons } from './pages/recipes/index.js';
import { t } from './prefs.js';
import { type Route, route } from './router.js';
import { loadSession, session } from './session.js';

function Page({ r }: { r: Route }) {
  switch (r.page) {
    case 'overview':
      return <Overview />;
    case 'detail':
      return <Detail id={r.id} />;
    case 'profile':
      return <ProfileEditor id={r.id} />;
    case 'next-steps':
      return <ProfileEditor id={r.id} next />;
    case 'incidents':
      return <Incidents />;
    case 'alerts':
      return <Alerts />;
    case 'hydrometers':
      return <Calibration />;
    case 'commons':
      return <Commons parts={r.parts} />;
  }
}

export function App() {
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    loadSession().catch(() => {
      session.value = { status: 'out' };
    });
  }, []);

  useSignalEffect(() => {
    if (session.value.status === 'in') startLive();
    else stopLive();
  });

  const s = session.value;
  const r = route.value;
  const m = t.value;

  // A new page, or signing in, moves focus to the page's heading so screen-reader users hear where they
  // are; the first page of a visit leaves focus where the browser puts it. Runs after the page rendered.
  const seen = useRef<{ route: Route; status: string } | null>(null);
  useEffect(() => {
    const before = seen.current;
    seen.current = { route: r, status: s.status };
    if (before === null || (before.route === r && before.status !== 'out')) return;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [r, s.status]);
  const skip = () => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  };
  return (
    <>
      <button type="button" class="skip" onClick={skip}>
        {m.skipToContent}
      </button>
      <Header />
      {s.status === 'in' && <LiveBanner />}
      <main id="main" ref={main}>
        {s.status === 'loading' && <p aria-busy="true">{m.loading}</p>}
        {s.status === 'out' && <Login />}
        {s.status === 'in' && <Page r={r} />}
      </main>
    </>
  );
}
