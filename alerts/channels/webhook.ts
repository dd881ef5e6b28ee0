// Generic webhook: the alert as JSON (docs/alerts.md), signed so the receiver can check it came from us.
// X-Cobrew-Signature: sha256=<hex HMAC-SHA256 of "<X-Cobrew-Timestamp>.<body>" under the person's secret>.
import { createHmac } from 'node:crypto';
import type { Contact } from '../contact-schema.js';
import type { OutgoingMessage } from '../store.js';
import { type Channel, postJson, type SendResult } from './channel.js';

export function webhookBody(m: OutgoingMessage, idemKey: string): string {
  return JSON.stringify({
    version: 1,
    id: idemKey,
    alertId: m.alertId,
    event: m.purpose,
    kind: m.kind,
    severity: m.severity,
    fermenterId: m.fermenterId,
    lang: m.lang,
    title: m.title,
    text: m.text,
    link: m.link,
    ackUrl: m.ackUrl,
    at: new Date(m.at).toISOString(),
  });
}

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookChannel(timeoutMs: number, now: () => number = Date.now): Channel {
  return {
    kind: 'webhook',
    async send(m: OutgoingMessage, contact: Contact, idemKey: string): Promise<SendResult> {
      const hook = contact.channels.webhook;
      if (hook === undefined) return { ok: false, error: 'no webhook set', permanent: true };
      const body = webhookBody(m, idemKey);
      const timestamp = String(now());
      return postJson(
        hook.url,
        body,
        {
          'user-agent': 'cobrew-alerts',
          'idempotency-key': idemKey,
          'x-cobrew-timestamp': timestamp,
          'x-cobrew-signature': webhookSignature(hook.secret, timestamp, body),
        },
        timeoutMs,
      );
    },
  };
}
