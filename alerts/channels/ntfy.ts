// ntfy (ntfy.sh or a server of the space's own): published as JSON to the server's root, which carries
// UTF-8 titles safely, with the priority and tags of the severity and the links as actions.
import type { Contact } from '../contact-schema.js';
import { ackLabel, openLabel } from '../messages.js';
import type { OutgoingMessage } from '../store.js';
import { type Channel, postJson, type SendResult } from './channel.js';

const PRIORITY = { critical: 5, warning: 4, info: 3 } as const;
const TAGS = { critical: ['rotating_light'], warning: ['warning'], info: ['information_source'] } as const;

/** The server root and the topic of a topic URL such as https://ntfy.sh/brewery-alerts. */
export function splitTopicUrl(url: string): { server: string; topic: string } {
  const cut = url.lastIndexOf('/');
  return { server: `${url.slice(0, cut)}/`, topic: url.slice(cut + 1) };
}

export function ntfyBody(m: OutgoingMessage, topic: string): string {
  const actions: Array<Record<string, unknown>> = [{ action: 'view', label: openLabel(m.lang), url: m.link }];
  if (m.ackUrl !== null)
    actions.push({ action: 'view', label: ackLabel(m.lang), url: m.ackUrl, clear: true });
  return JSON.stringify({
    topic,
    title: m.title,
    message: m.text,
    priority: m.purpose === 'resolve' ? 3 : PRIORITY[m.severity],
    tags: m.purpose === 'resolve' ? ['white_check_mark'] : TAGS[m.severity],
    click: m.link,
    actions,
  });
}

export function ntfyChannel(timeoutMs: number): Channel {
  return {
    kind: 'ntfy',
    async send(m: OutgoingMessage, contact: Contact): Promise<SendResult> {
      const ntfy = contact.channels.ntfy;
      if (ntfy === undefined) return { ok: false, error: 'no ntfy topic set', permanent: true };
      const { server, topic } = splitTopicUrl(ntfy.url);
      return postJson(
        server,
        ntfyBody(m, topic),
        ntfy.token === undefined ? {} : { authorization: `Bearer ${ntfy.token}` },
        timeoutMs,
      );
    },
  };
}
