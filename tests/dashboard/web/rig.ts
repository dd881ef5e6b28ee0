// The real application for browser tests and the latency benchmark: embedded broker, simulated fermenters at
// an accelerated speed, the dashboard serving the built front-end, all in a temporary data directory, with
// dashboard users made through the accounts module the way `cobrew user add` makes them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '../../../app/app.js';
import { loadConfig } from '../../../app/config/load.js';
import { createLogger } from '../../../app/log.js';
import { openAccounts } from '../../../dashboard/accounts/index.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';

/** Cheap password hashes: the rig logs in often; the real cost is checked by the accounts tests. */
export const RIG_PASSWORD_COST = { N: 1024, r: 8, p: 1 };

export const RIG_USERS = {
  brewer: { name: 'brune', role: 'brewer', password: 'brune brews' },
  viewer: { name: 'victor', role: 'viewer', password: 'victor watches' },
} as const;

export interface Rig {
  /** e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly app: RunningApp;
  readonly dataDir: string;
  /** Log lines at warn and above, to show when a test fails. */
  readonly problems: string[];
  /** Stops the whole application and starts it again on the same HTTP port, as after a server restart. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RigOptions {
  /** cobrew.yaml; the built-in two simulated fermenters when absent. */
  yaml?: string;
  speed: number;
}

export async function startRig(opts: RigOptions): Promise<Rig> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cobrew-browser-'));
  const problems: string[] = [];
  try {
    if (opts.yaml !== undefined) await writeFile(join(dataDir, 'cobrew.yaml'), opts.yaml);
    const accounts = openAccounts({ dataDir, cost: RIG_PASSWORD_COST });
    try {
      for (const u of Object.values(RIG_USERS)) await accounts.users.add(u.name, u.role, u.password);
    } finally {
      accounts.close();
    }
    const { config } = await loadConfig({
      flags: { dataDir, httpPort: '0', mqttPort: '0', wsPort: '0', speed: String(opts.speed) },
      env: {},
    });
    const log = createLogger({
      level: 'warn',
      destination: { write: (line: string) => void problems.push(line) },
    });
    const start = (httpPort: number) =>
      startApp({
        config: {
          ...config,
          http: { ...config.http, port: httpPort },
          homeAssistant: { ...config.homeAssistant, enabled: false },
        },
        log,
        dataDir,
        bridgeId: 'browser-rig',
        passwordCost: RIG_PASSWORD_COST,
        createFleet: (o) =>
          createFleet({ ...o, onError: (id, err) => problems.push(`${id}: ${String(err)}`) }),
      });
    let app = await start(0);
    const url = app.dashboardUrl;
    return {
      url,
      get app() {
        return app;
      },
      dataDir,
      problems,
      restart: async () => {
        await app.stop();
        app = await start(Number(new URL(url).port));
      },
      stop: async () => {
        try {
          await app.stop();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
