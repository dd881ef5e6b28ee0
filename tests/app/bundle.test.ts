// The production bundle (`npm run build`), run as `npm start` runs it: every file cobrew finds from a
// module's own path (its workers, package.json, the front-end, swagger-ui's files) must still be found
// when all of cobrew is a handful of chunks in dist/app/cli/.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRIES, bundle } from '../../app/bundle.js';
import { SESSION_COOKIE } from '../../dashboard/api/session-cookie.js';
import { QUEUE_FILE_NAME } from '../../history/influx/protocol.js';
import { listen, waitFor } from '../broker/helpers.js';
import { ApiClient } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { cleanEnv, type Finished, finished, ROOT, simulatorStartArgs } from './cli-helpers.js';

// Built as `npm run build` builds it, beside dist/app/cli/ rather than over it: a cobrew started from there
// keeps its files while the tests run.
const BUILT = join(ROOT, 'dist', 'test-bundle', 'cli');
const MAIN = join(BUILT, 'main.js');

function spawnBuilt(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--max-semi-space-size=1', '--heap-growing-percent=10', MAIN, ...args], {
    cwd: ROOT,
    env: cleanEnv({ MALLOC_ARENA_MAX: '2' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const runBuilt = (args: string[]): Promise<Finished> => finished(spawnBuilt(args));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-bundle-'));
  await bundle(BUILT);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(ROOT, 'dist', 'test-bundle'), { recursive: true, force: true });
});

describe('the bundled cobrew', () => {
  it('bundles every worker a module starts, under the name it starts it by', () => {
    const starters = ['history/service.ts', 'history/influx/start.ts'].map((f) =>
      readFileSync(join(ROOT, f), 'utf8'),
    );
    const named = starters.flatMap((text) =>
      [...text.matchAll(/startSiblingWorker\(import\.meta\.url, '[^']+', '([^']+)'/g)].map((m) => m[1]),
    );
    expect(named).toEqual(['history-worker', 'influx-worker']);
    for (const name of named) {
      expect(Object.keys(BUNDLE_ENTRIES)).toContain(name);
      expect(existsSync(join(BUILT, `${name}.js`))).toBe(true);
    }
  });

  it("leaves mqtt.js's proxy, WebSocket and browser transports out of what the MQTT client loads", () => {
    const chunks = readdirSync(BUILT).filter((f) => f.endsWith('.js'));
    const sourcesOf = (chunk: string): string[] =>
      (JSON.parse(readFileSync(join(BUILT, `${chunk}.map`), 'utf8')) as { sources: string[] }).sources;
    const client = chunks.filter((c) => sourcesOf(c).some((s) => s.endsWith('broker/client.ts')));
    expect(client).toHaveLength(1);
    // The chunks loaded with it: its static imports, and theirs (`import(...)` is left for later).
    const loaded = new Set(client);
    for (const chunk of loaded) {
      const text = readFileSync(join(BUILT, chunk), 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) loaded.add(m[1] as string);
    }
    const packages = [...loaded]
      .flatMap(sourcesOf)
      .flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s)?.[1] ?? []);
    expect(packages).toContain('mqtt');
    for (const unwanted of ['ws', 'socks', 'ip-address', 'worker-timers', '@babel/runtime', 'aedes']) {
      expect(packages, unwanted).not.toContain(unwanted);
    }
  });

  it('knows its version from package.json', async () => {
    const res = await runBuilt(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it('starts on the simulator: states on MQTT, history recorded, the dashboard and its assets served', async () => {
    const dataDir = join(dir, 'all');
    for (const cmd of [['mqtt-user'], ['user']]) {
      const added = await runBuilt([
        ...cmd,
        'add',
        'brewer',
        '--role',
        'viewer',
        '--password',
        'pale ale',
        '--data-dir',
        dataDir,
      ]);
      expect(added.code, added.stderr).toBe(0);
    }
    // The InfluxDB mirror's worker starts too; nothing listens there, so it only queues.
    await writeFile(
      join(dataDir, 'cobrew.yaml'),
      JSON.stringify({ influx: { url: 'http://127.0.0.1:9', org: 'space', bucket: 'cobrew' } }),
    );
    const child = spawnBuilt(simulatorStartArgs(dataDir));
    const exit = finished(child);
    try {
      const [, dashboardUrl = '', mqttUrl = ''] = await waitFor(
        () =>
          exit.stdout().match(/dashboard (http:\/\/\S+) · status page \S+ · MQTT (mqtt:\/\/\S+)/) ??
          undefined,
        `the ready line (stderr so far: ${exit.stderr()})`,
        30_000,
      );
      const sub = await listen(mqttUrl.replace('://', '://brewer:pale%20ale@'), 'cobrew/fermenter/ale/state');
      try {
        const state = await waitFor(() => sub.messages[0], 'a state of ale');
        expect(JSON.parse(state.text)).toMatchObject({ id: 'ale', beerSetpointC: 18 });
      } finally {
        await sub.close();
      }

      const page = await fetch(dashboardUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="\/(ui\/[^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) expect((await fetch(new URL(asset, dashboardUrl))).status, asset).toBe(200);
      // swagger-ui's page, and its files from its own package folder.
      const docs = await fetch(new URL('docs/static/index.html', dashboardUrl));
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui-bundle.js');
      for (const file of ['swagger-ui-bundle.js', 'logo.svg']) {
        expect((await fetch(new URL(`docs/static/${file}`, dashboardUrl))).status, file).toBe(200);
      }

      const api = new ApiClient(dashboardUrl);
      expect((await api.login('brewer', 'pale ale')).status).toBe(200);
      const rows = await eventually(async () => {
        const res = await fetch(new URL('api/fermenters/ale/history.csv', dashboardUrl), {
          headers: { cookie: `${SESSION_COOKIE}=${api.session}` },
        });
        const lines = (await res.text()).trim().split('\n');
        return res.status === 200 && lines.length > 1 ? lines : undefined;
      }, 'rows of history, written by the history worker');
      expect(rows[0]).toContain('beer');
      expect(existsSync(join(dataDir, QUEUE_FILE_NAME))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/"level":(50|60)/);
  });
});
