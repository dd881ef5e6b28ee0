// E-mail against a real SMTP server (python3-aiosmtpd) that requires STARTTLS and a login, checking the
// message as it was received.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { emailChannel } from '../../alerts/channels/email.js';
import type { OutgoingMessage } from '../../alerts/store.js';
import { tempDir } from './helpers.js';

const SERVER = fileURLToPath(new URL('./smtp-server.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
});

async function smtpServer() {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const out = join(dir, 'received.jsonl');
  const port = await freePort();
  const child = spawn(PYTHON, [SERVER, String(port), cert, key, out, 'cobrew', 'mail-pass'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  stops.push(() => child.kill());
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
  });
  const received = () =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map(
            (l) =>
              JSON.parse(l) as {
                from: string;
                to: string[];
                tls: boolean;
                login: string | null;
                subject: string;
                messageId: string;
                alert: string;
                body: string;
              },
          )
      : [];
  return { port, received };
}

const message: OutgoingMessage = {
  alertId: 'a1',
  purpose: 'raise',
  kind: 'trip',
  severity: 'critical',
  fermenterId: 'ale',
  lang: 'fr',
  title: 'Arrêt de sécurité – Ale – cuve 1',
  text: 'COBREW_ERR_PROBE_LOST\nbière 24,1 °C',
  link: 'http://brew.lan/#/fermenters/ale',
  ackUrl: 'http://brew.lan/api/alerts/ack?t=abc.def',
  at: 0,
};

describe('e-mail channel', () => {
  it('sends through STARTTLS with a login; the server receives the message as written', async () => {
    const smtp = await smtpServer();
    // The test server's certificate is self-signed: trust it for this test only.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const channel = emailChannel(
        {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'starttls',
          username: 'cobrew',
          password: 'mail-pass',
          from: 'cobrew <alerts@brew.lan>',
        },
        5000,
      );
      const contact = {
        lang: 'fr' as const,
        quietHours: null,
        channels: { email: { address: 'ann@brew.lan' } },
      };
      expect(await channel.send(message, contact, 'a1:raise:0:ann:email')).toEqual({ ok: true });
      const [got] = smtp.received();
      expect([got?.from, got?.to, got?.tls, got?.login]).toEqual([
        'alerts@brew.lan',
        ['ann@brew.lan'],
        true,
        'cobrew',
      ]);
      expect(got?.subject).toBe('[cobrew] Arrêt de sécurité – Ale – cuve 1');
      expect(got?.messageId).toMatch(/^<[0-9a-f]{32}@cobrew>$/);
      expect(got?.alert).toBe('a1');
      expect(got?.body.replaceAll('\r\n', '\n')).toBe(
        'COBREW_ERR_PROBE_LOST\nbière 24,1 °C\n\nOuvrir: http://brew.lan/#/fermenters/ale\nAcquitter: http://brew.lan/api/alerts/ack?t=abc.def\n',
      );

      channel.close?.();
    } finally {
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    }
  });
});
