// The reader's choices — language and temperature unit — remembered in this browser.
import { computed, effect, signal } from '@preact/signals';
import { browserLocale, isLocale, type Locale, MESSAGES } from './i18n.js';
import { isUnit, type Unit } from './units.js';

const LOCALE_KEY = 'cobrew.locale';
const UNIT_KEY = 'cobrew.unit';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage can be refused (private mode, policy): the choice then lasts for this page only.
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // See stored().
  }
}

const savedLocale = stored(LOCALE_KEY);
const savedUnit = stored(UNIT_KEY);

export const locale = signal<Locale>(
  isLocale(savedLocale) ? savedLocale : browserLocale(navigator.languages),
);
// Fahrenheit only for readers whose browser speaks American English.
export const unit = signal<Unit>(isUnit(savedUnit) ? savedUnit : navigator.language === 'en-US' ? 'F' : 'C');
export const t = computed(() => MESSAGES[locale.value]);

export function setLocale(next: Locale): void {
  locale.value = next;
  remember(LOCALE_KEY, next);
}

export function setUnit(next: Unit): void {
  unit.value = next;
  remember(UNIT_KEY, next);
}

// Screen readers pick their voice from the document's language.
effect(() => {
  document.documentElement.lang = locale.value;
});
