// What every channel does: send one message to one address, and say whether and when to try again.
import type { AlertsSettings } from '../config-schema.js';
import type { Contact } from '../contact-schema.js';
import type { ChannelKind } from '../model.js';
import type { OutgoingMessage } from '../store.js';

export type SendResult =
  | { ok: true }
  /** retryAfterMs: the server said when (429 Retry-After); permanent: trying again cannot help. */
  | { ok: false; error: string; permanent: boolean; retryAfterMs?: number };

export interface Channel {
  readonly kind: ChannelKind;
  send(message: OutgoingMessage, contact: Contact, idemKey: string): Promise<SendResult>;
  close?(): void;
}

export type ChannelSettings = Pick<AlertsSettings, 'email' | 'telegram' | 'timeoutMs'>;

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 86_400) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), 86_400_000);
}

/** POSTs a JSON body; 2xx is success, 408/429/5xx and network errors are worth retrying, other 4xx are not. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult & { status?: number; json?: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error;
    return {
      ok: false,
      error:
        e.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `${e.message}${e.cause ? ` (${(e.cause as Error).message})` : ''}`,
      permanent: false,
    };
  }
  // Read (at most 64 KiB of) the answer so the connection is released; some servers explain their refusal.
  const text = (await res.text().catch(() => '')).slice(0, 65_536);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok) return { ok: true, status: res.status, json };
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  const after = retryAfterMs(res.headers.get('retry-after'));
  return {
    ok: false,
    status: res.status,
    json,
    error: `HTTP ${res.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`,
    permanent: !retryable,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  };
}
