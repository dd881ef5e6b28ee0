// Loading what a page shows: the answer, or the reason it failed in words a reader can act on; answers to
// requests the page no longer wants (it moved on) are dropped.
import { computed } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { t } from '../../prefs.js';
import { noticeSessionEnd, session } from '../../session.js';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: string };

/** The server's message (it names the problem and the fix), or the page's own when none came back. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.status === 0 ? t.value.errors.network : err.message;
  return err instanceof Error ? err.message : String(err);
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    load().then(
      (data) => !cancelled && setState({ status: 'ok', data }),
      (err: unknown) => {
        noticeSessionEnd(err);
        if (!cancelled) setState({ status: 'error', error: errorText(err) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, deps);
  return state;
}

/** Forks and other contributions are for members and above; viewers only read the commons. */
export const canContribute = computed(() => {
  const s = session.value;
  return s.status === 'in' && s.user.role !== 'viewer';
});
