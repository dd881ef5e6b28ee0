// Telegram: the Bot API's sendMessage to the person's chat. A 429 carries parameters.retry_after (seconds).
import type { Contact } from '../contact-schema.js';
import type { OutgoingMessage } from '../store.js';
import { type Channel, postJson, type SendResult } from './channel.js';

export function telegramChannel(settings: { botToken: string; apiUrl: string }, timeoutMs: number): Channel {
  return {
    kind: 'telegram',
    async send(m: OutgoingMessage, contact: Contact): Promise<SendResult> {
      const chat = contact.channels.telegram;
      if (chat === undefined) return { ok: false, error: 'no Telegram chat set', permanent: true };
      const links = [m.link, m.ackUrl].filter((l) => l !== null).join('\n');
      const body = JSON.stringify({
        chat_id: chat.chatId,
        text: `${m.title}\n${m.text}\n${links}`.slice(0, 4096),
        link_preview_options: { is_disabled: true },
      });
      const r = await postJson(`${settings.apiUrl}/bot${settings.botToken}/sendMessage`, body, {}, timeoutMs);
      if (r.ok) return { ok: true };
      const after = (r.json as { parameters?: { retry_after?: unknown } } | undefined)?.parameters
        ?.retry_after;
      // The token is in the URL: never let it into an error message.
      const error = r.error.replaceAll(settings.botToken, '…');
      return typeof after === 'number' && after >= 0
        ? { ok: false, error, permanent: false, retryAfterMs: Math.min(after, 86_400) * 1000 }
        : { ...r, error };
    },
  };
}
