// A Server-Sent Events reader for tests: collects the events of GET /api/live as they come.
import { SESSION_COOKIE } from '../../../dashboard/api/session-cookie.js';

export interface SseEvent {
  event: string;
  data: unknown;
  /** When the test received it, ms since the stream opened. */
  atMs: number;
}

export interface LiveStream {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openLive(base: string, session: string | null): Promise<LiveStream> {
  const abort = new AbortController();
  const opened = Date.now();
  const res = await fetch(new URL('api/live', base), {
    headers: session === null ? {} : { cookie: `${SESSION_COOKIE}=${session}` },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  if (res.ok && res.body !== null) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = block.split('\n');
            const event = fields.find((f) => f.startsWith('event: '))?.slice(7);
            const data = fields.find((f) => f.startsWith('data: '))?.slice(6);
            for (const f of fields) if (f.startsWith(':')) comments.push(f);
            if (event !== undefined && data !== undefined) {
              events.push({ event, data: JSON.parse(data), atMs: Date.now() - opened });
            }
            for (const w of waiters) w();
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return {
    status: res.status,
    events,
    comments,
    next(match, what, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${what} on the live feed within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
