// A running cobrew with a `brewfather:` section pushes the listed fermenter, and only it, to a local
// HTTP server standing in for Brewfather.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startApp } from '../../../app/app.js';
import { loadConfig } from '../../../app/config/load.js';
import { createLogger } from '../../../app/log.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';
import { waitFor } from '../../broker/helpers.js';

const bodies: Record<string, unknown>[] = [];
const server = createServer(async (req, res) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  bodies.push(JSON.parse(text));
  res.writeHead(200).end('{"result":"OK"}');
});
afterAll(() => server.close());

it('pushes the listed fermenter of a running cobrew to the Custom Stream', async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'cobrew-bf-app-'));
  try {
    await writeFile(
      join(dir, 'cobrew.yaml'),
      [
        'http: { port: 0 }',
        'mqtt: { port: 0, wsPort: 0 }',
        'homeAssistant: { enabled: false }',
        'history: { enabled: false }',
        `brewfather: { streamUrl: "http://127.0.0.1:${port}/stream?id=test", fermenters: [lager] }`,
      ].join('\n'),
    );
    const { config } = await loadConfig({ flags: { dataDir: dir }, env: {} });
    const log = createLogger({ level: 'silent' });
    const app = await startApp({ config, log, dataDir: dir, bridgeId: 'bf-test', createFleet });
    try {
      await waitFor(() => bodies.length > 0, 'a post to the stream', 25_000);
    } finally {
      await app.stop();
    }
    expect(bodies[0]).toMatchObject({ name: 'lager', temp_unit: 'C' });
    expect(typeof bodies[0]?.temp).toBe('number');
    expect(bodies.every((b) => b.name === 'lager')).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 40_000);
