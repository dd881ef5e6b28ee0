// Shared by the alerts tests: settings with their defaults, a fresh data dir, and a local HTTP server that
// records each request and answers as the test scripts it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AlertsSchema, type AlertsSettings } from '../../alerts/config-schema.js';
import { schemaChecker } from '../../common/schema-check.js';

const check = schemaChecker(AlertsSchema, 'alerts');
export const alertsSettings = (patch: Record<string, unknown> = {}): AlertsSettings =>
  check(structuredClone(patch));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-alerts-'));
  dirs.push(dir);
  return dir;
}

export interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * An HTTP server on 127.0.0.1 that answers each request with the next scripted answer (200 when none is
 * left), or with what a function decides from the request.
 */
export async function receiver(
  script: Answer[] | ((hit: Hit) => Answer) = [],
): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const answers = Array.isArray(script) ? [...script] : [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: Hit = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      hits.push(hit);
      const answer = (Array.isArray(script) ? answers.shift() : script(hit)) ?? {
        status: 200,
        body: '{"ok":true}',
      };
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
