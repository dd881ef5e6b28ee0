// The real application (embedded broker, simulated fleet, dashboard) in a temporary data directory, with
// one dashboard user of each role, and a client for each.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '../../../app/app.js';
import { loadConfig } from '../../../app/config/load.js';
import { createLogger } from '../../../app/log.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';
import { ApiClient, addDashboardUser, TEST_PASSWORD_COST } from '../../helpers/api-client.js';
import { lager } from '../../recipes/commons/helpers.js';

export const PEOPLE = {
  admin: { name: 'ada', role: 'admin', password: 'ada secret 1' },
  brewer: { name: 'brice', role: 'brewer', password: 'brice secret 1' },
  member: { name: 'mila', role: 'member', password: 'mila secret 1' },
  viewer: { name: 'vera', role: 'viewer', password: 'vera secret 1' },
} as const;
export type Person = keyof typeof PEOPLE;

export interface Rig {
  app: RunningApp;
  dataDir: string;
  logLines: Array<Record<string, unknown>>;
  /** A fresh client, not logged in. */
  client(): ApiClient;
  /** A fresh client logged in as this person. */
  as(person: Person): Promise<ApiClient>;
  stop(): Promise<void>;
}

export interface RigOptions {
  /** Add the PEOPLE (default) or start with no dashboard user. */
  users?: boolean;
  /** cobrew.yaml, e.g. 'http: { trustProxy: true }'. */
  yaml?: string;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cobrew-api-'));
  if (opts.yaml !== undefined) await writeFile(join(dataDir, 'cobrew.yaml'), opts.yaml);
  if (opts.users !== false) {
    for (const p of Object.values(PEOPLE)) await addDashboardUser(dataDir, p.name, p.role, p.password);
  }
  const logLines: Array<Record<string, unknown>> = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
  });
  const { config } = await loadConfig({
    flags: { dataDir, httpPort: '0', mqttPort: '0', wsPort: '0', speed: '60' },
    env: {},
  });
  const app = await startApp({
    config,
    log,
    dataDir,
    bridgeId: 'api-test',
    createFleet: (f) => createFleet(f),
    passwordCost: TEST_PASSWORD_COST,
  });
  const client = () => new ApiClient(app.dashboardUrl);
  return {
    app,
    dataDir,
    logLines,
    client,
    async as(person) {
      const c = client();
      const p = PEOPLE[person];
      const res = await c.login(p.name, p.password);
      if (res.status !== 200) throw new Error(`login of ${p.name} failed: ${JSON.stringify(res.body)}`);
      return c;
    },
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The people of a batch test: its owner (the rig's brewer), bea (another brewer) and an admin, with a lager. */
export async function batchCast(rig: Rig, recipe: string) {
  await addDashboardUser(rig.dataDir, 'bea', 'brewer', 'bea secret 1');
  const owner = await rig.as('brewer');
  const other = rig.client();
  await other.login('bea', 'bea secret 1');
  const admin = await rig.as('admin');
  const created = await owner.post<{ latestVersionId: string }>('api/recipes', { document: lager(recipe) });
  if (created.status !== 201) throw new Error(`the recipe was not created: ${created.status}`);
  return { owner, other, admin, versionId: created.body.latestVersionId };
}
