// Brand, navigation, language and unit choices, and who is signed in.
import { LOCALES, type Locale } from '../i18n.js';
import { locale, setLocale, setUnit, t, unit } from '../prefs.js';
import { href, route } from '../router.js';
import { logout, session } from '../session.js';
import type { Unit } from '../units.js';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function Header() {
  const m = t.value;
  const s = session.value;
  const page = route.value.page;
  return (
    <header class="top">
      <a class="brand" href={href.overview()}>
        {m.appName}
      </a>
      {s.status === 'in' && (
        <nav aria-label={m.nav.label}>
          <a href={href.overview()} aria-current={page === 'overview' ? 'page' : undefined}>
            {m.nav.overview}
          </a>
          <a href={href.incidents()} aria-current={page === 'incidents' ? 'page' : undefined}>
            {m.nav.incidents}
          </a>
          <a href={href.alerts()} aria-current={page === 'alerts' ? 'page' : undefined}>
            {m.nav.alerts}
          </a>
          <a href={href.hydrometers()} aria-current={page === 'hydrometers' ? 'page' : undefined}>
            {m.nav.hydrometers}
          </a>
          <a href="#/recipes" aria-current={page === 'commons' ? 'page' : undefined}>
            {m.nav.recipes}
          </a>
        </nav>
      )}
      <div class="prefs">
        <label>
          <span class="visually-hidden">{m.settings.language}</span>
          <select
            data-testid="language"
            value={locale.value}
            onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{m.settings.units}</span>
          <select
            data-testid="unit"
            value={unit.value}
            onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value as Unit)}
          >
            <option value="C">°C</option>
            <option value="F">°F</option>
          </select>
        </label>
        {s.status === 'in' && (
          <>
            <span class="who">{m.settings.signedInAs(s.user.name, m.roles[s.user.role] ?? s.user.role)}</span>
            <button type="button" class="link" onClick={() => void logout()}>
              {m.settings.signOut}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
