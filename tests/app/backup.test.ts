// `cobrew backup`'s archive: every database copied consistently, the broker users and cobrew.yaml, restored
// whole into a new data directory readable by its owner only, and refused whole when damaged or newer.
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readBackup, restoreBackup, writeBackup } from '../../app/backup/archive.js';
import { writeSecretFile } from '../../common/atomic-file.js';
import { openAccountsDb } from '../../dashboard/accounts/database.js';
import { openControlState } from '../../firmware-bridge/state/sqlite-store.js';
import { openRecipesDb, recipesDbFile } from '../../recipes/commons/db.js';

const VERSION = '0.1.0';
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cobrew-backup-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data directory as a running space leaves it, its databases still open (WAL not checkpointed). */
async function space() {
  const dataDir = temp();
  const control = openControlState(dataDir);
  control.forFermenter('ale').saveIntent({
    mode: 'beer',
    beerSetpointC: 16.5,
    chamberSetpointC: 18,
    profile: [],
    profileStartAt: 0,
    progress: null,
    changedBy: 'someone',
    changedAt: 0,
    configDigest: 'x',
  });
  const accounts = openAccountsDb(dataDir);
  accounts
    .prepare("INSERT INTO users (name, role, password, created_at) VALUES ('ann', 'admin', 'h', 1)")
    .run();
  const recipes = openRecipesDb(recipesDbFile(dataDir));
  await writeSecretFile(join(dataDir, 'mqtt-users.json'), '{"users":[{"name":"ha"}]}');
  writeFileSync(join(dataDir, 'cobrew.yaml'), 'fermenters: []\n');
  return { dataDir, close: () => [control.close(), accounts.close(), recipes.close()] };
}

describe('backup of everything', () => {
  it('copies every database while it is open, and restores them owner-only, moving what was there aside', async () => {
    const s = await space();
    const file = join(temp(), 'space.cobrew');
    const parts = await writeBackup({
      dataDir: s.dataDir,
      configFile: join(s.dataDir, 'cobrew.yaml'),
      dest: file,
      version: VERSION,
      now: Date.now(),
    });
    s.close();
    expect(parts).toEqual(['recipes.db', 'dashboard.db', 'control.db', 'mqtt-users.json', 'cobrew.yaml']);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const target = temp();
    writeFileSync(join(target, 'control.db'), 'old');
    const { restored, movedTo } = restoreBackup({ dataDir: target, file, version: VERSION, now: Date.now() });
    expect(restored).toEqual(parts);
    expect(readFileSync(join(movedTo as string, 'control.db'), 'utf8')).toBe('old');
    for (const name of parts) expect(statSync(join(target, name)).mode & 0o777, name).toBe(0o600);
    const control = openControlState(target);
    expect(control.forFermenter('ale').load().intent?.beerSetpointC).toBe(16.5);
    control.close();
    const accounts = new Database(join(target, 'dashboard.db'), { readonly: true });
    expect(accounts.prepare('SELECT name FROM users').pluck().all()).toEqual(['ann']);
    accounts.close();
    expect(readFileSync(join(target, 'mqtt-users.json'), 'utf8')).toContain('"ha"');
    expect(readFileSync(join(target, 'cobrew.yaml'), 'utf8')).toBe('fermenters: []\n');
  });

  it('refuses a damaged archive or one from a newer cobrew, restoring nothing', async () => {
    const s = await space();
    const file = join(temp(), 'space.cobrew');
    await writeBackup({ dataDir: s.dataDir, configFile: null, dest: file, version: VERSION, now: 0 });
    s.close();
    const copy = (name: string) => {
      const c = join(temp(), name);
      copyFileSync(file, c);
      return c;
    };
    const edit = (f: string, sql: string) => {
      const db = new Database(f);
      db.exec(sql);
      db.close();
    };
    const refusal = (f: string) => {
      const target = temp();
      try {
        restoreBackup({ dataDir: target, file: f, version: VERSION, now: 0 });
      } catch (err) {
        expect(() => statSync(join(target, 'control.db'))).toThrow();
        return err as Error & { code: string };
      }
      throw new Error('restored');
    };

    const flipped = copy('flipped.cobrew');
    edit(flipped, "UPDATE sqlar SET data = zeroblob(length(data)) WHERE name = 'control.db'");
    expect(refusal(flipped)).toMatchObject({ code: 'COBREW_ERR_BACKUP_DAMAGED' });

    const cut = copy('cut.cobrew');
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    expect(refusal(cut).code).toBe('COBREW_ERR_BACKUP_DAMAGED');

    const junk = copy('junk.cobrew');
    writeFileSync(junk, 'not a backup at all, just text');
    expect(refusal(junk).code).toBe('COBREW_ERR_BACKUP_DAMAGED');

    const newer = copy('newer.cobrew');
    edit(newer, "UPDATE cobrew_manifest SET value = '0.2.0' WHERE key = 'version'");
    const err = refusal(newer);
    expect(err.code).toBe('COBREW_ERR_BACKUP_NEWER');
    expect(err.message).toContain('Upgrade cobrew first');
    expect(readBackup(file, VERSION).entries.length).toBe(4);
  });
});
