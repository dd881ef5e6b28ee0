// E-mail through the space's SMTP server (nodemailer): STARTTLS required on 587 unless told otherwise,
// login when a user name is set. The Message-ID comes from the idempotency key, so a message resent after
// a crash is recognised as the same one by mail clients.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertsSettings } from '../config-schema.js';
import type { Contact } from '../contact-schema.js';
import { ackLabel, openLabel } from '../messages.js';
import type { OutgoingMessage } from '../store.js';
import type { Channel, SendResult } from './channel.js';

type SmtpSettings = NonNullable<AlertsSettings['email']>;

export function emailChannel(smtp: SmtpSettings, timeoutMs: number): Channel {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'tls',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    ...(smtp.username === undefined ? {} : { auth: { user: smtp.username, pass: smtp.password ?? '' } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    kind: 'email',
    async send(m: OutgoingMessage, contact: Contact, idemKey: string): Promise<SendResult> {
      const to = contact.channels.email?.address;
      if (to === undefined) return { ok: false, error: 'no e-mail address set', permanent: true };
      const links = [
        `${openLabel(m.lang)}: ${m.link}`,
        ...(m.ackUrl === null ? [] : [`${ackLabel(m.lang)}: ${m.ackUrl}`]),
      ];
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
          subject: `[cobrew] ${m.title}`,
          text: `${m.text}\n\n${links.join('\n')}\n`,
          messageId: `<${createHash('sha256').update(idemKey).digest('hex').slice(0, 32)}@cobrew>`,
          priority: m.severity === 'critical' && m.purpose !== 'resolve' ? 'high' : 'normal',
          headers: { 'X-Cobrew-Alert': m.alertId },
        });
        return { ok: true };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        // 5xx answers to the envelope are refusals (unknown mailbox, bad auth); 4xx and network errors pass.
        const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.code !== 'ETIMEDOUT';
        return { ok: false, error: e.message.slice(0, 300), permanent };
      }
    },
    close: () => transport.close(),
  };
}
