// Small pieces the commons' pages share: a load's waiting and failure lines, and a date.
import { computed } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { formats } from '../../format.js';
import { locale, t } from '../../prefs.js';
import { rt } from './i18n.js';
import type { Loaded } from './load.js';

/** Renders the data once loaded; until then a busy line, or the reason it failed. */
export function Show<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (state.status === 'loading') return <p aria-busy="true">{t.value.loading}</p>;
  if (state.status === 'error')
    return (
      <p class="error" role="alert">
        {state.error}
      </p>
    );
  return <>{children(state.data)}</>;
}

const day = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }));

/** A day (recipes, versions), or a moment to the second with `long` (brew logs, readings). */
export function When({ at, long = false }: { at: number; long?: boolean }) {
  return (
    <time dateTime={new Date(at).toISOString()}>
      {long ? formats.value.dateTime(at) : day.value.format(at)}
    </time>
  );
}

/** Amounts travel as "12.34"; French readers write 12,34. */
export function money(amount: string): string {
  return locale.value === 'fr' ? amount.replace('.', ',') : amount;
}

interface PagerProps {
  offset: number;
  shown: number;
  total: number;
  page: number;
  onMove: (offset: number) => void;
}

/** Where this page of a long list is, and buttons to the pages before and after it. */
export function Pager({ offset, shown, total, page, onMove }: PagerProps) {
  const m = rt.value.pager;
  if (total <= shown && offset === 0) return null;
  return (
    <p class="row pager">
      <span role="status">{m.range(offset + 1, offset + shown, total)}</span>
      {offset > 0 && (
        <button type="button" class="secondary" onClick={() => onMove(Math.max(0, offset - page))}>
          {m.previous}
        </button>
      )}
      {offset + shown < total && (
        <button type="button" class="secondary" onClick={() => onMove(offset + page)}>
          {m.next}
        </button>
      )}
    </p>
  );
}
