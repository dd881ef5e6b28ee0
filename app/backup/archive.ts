// One backup file: a SQLite Archive (the `sqlar` table `sqlite3 -A` reads, zlib-compressed entries) with a
// manifest saying which cobrew made it and a SHA-256 of every entry, so a damaged copy is refused whole.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { CONFIG_NAME, PARTS, type Part, partPath } from './contents.js';
import { BackupDamagedError, BackupError, BackupNewerError } from './errors.js';

/** The archive layout; a reader refuses a higher one. */
const FORMAT = 1;
const OWNER_ONLY = 0o100600;
const SHARED = 0o100644;

const SCHEMA = `
CREATE TABLE sqlar (name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB);
CREATE TABLE cobrew_manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cobrew_checksums (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
`;

export interface Entry {
  name: string;
  mode: number;
  bytes: Buffer;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A consistent copy of a live database, through SQLite's online backup (WAL lets cobrew go on writing). */
async function snapshot(path: string, tmp: string): Promise<Buffer> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // After the first step the rest goes in one step, so a busy writer cannot restart it forever.
    await db.backup(tmp, { progress: () => 2_147_483_647 });
    return readFileSync(tmp);
  } finally {
    db.close();
    rmSync(tmp, { force: true });
  }
}

/** Writes everything of `dataDir` (and the configuration file in use) to `dest`, a new file. */
export async function writeBackup(opts: {
  dataDir: string;
  configFile: string | null;
  dest: string;
  version: string;
  now: number;
}): Promise<string[]> {
  const { dest } = opts;
  if (existsSync(dest)) throw new BackupError(dest, 'the file already exists; choose a new name');
  const tmp = `${dest}.${process.pid}.tmp`;
  let out: Database.Database;
  try {
    out = new Database(tmp);
    chmodSync(tmp, 0o600);
  } catch (err) {
    throw new BackupError(dest, (err as Error).message);
  }
  const names: string[] = [];
  try {
    out.exec(SCHEMA);
    const put = out.prepare('INSERT INTO sqlar (name, mode, mtime, sz, data) VALUES (?, ?, ?, ?, ?)');
    const sum = out.prepare('INSERT INTO cobrew_checksums (name, sha256) VALUES (?, ?)');
    for (const part of PARTS) {
      const path = part.name === CONFIG_NAME ? opts.configFile : partPath(opts.dataDir, part);
      if (path === null || !existsSync(path)) continue;
      const bytes = part.kind === 'sqlite' ? await snapshot(path, `${tmp}.part`) : readFileSync(path);
      const packed = deflateSync(bytes);
      // sqlar stores an entry as is when compressing would not make it smaller.
      const data = packed.length < bytes.length ? packed : bytes;
      const mtime = Math.floor(statSync(path).mtimeMs / 1000);
      put.run(part.name, part.private ? OWNER_ONLY : SHARED, mtime, bytes.length, data);
      sum.run(part.name, sha256(bytes));
      names.push(part.name);
    }
    const manifest = out.prepare('INSERT INTO cobrew_manifest (key, value) VALUES (?, ?)');
    manifest.run('format', String(FORMAT));
    manifest.run('version', opts.version);
    manifest.run('createdAt', new Date(opts.now).toISOString());
    out.close();
    renameSync(tmp, dest);
  } catch (err) {
    if (out.open) out.close();
    rmSync(tmp, { force: true });
    if ((err as { code?: string }).code === 'COBREW_ERR_BACKUP') throw err;
    throw new BackupError(dest, (err as Error).message);
  }
  return names;
}

/** Every entry of a backup, each checked against its checksum; throws before anything is returned. */
export function readBackup(
  file: string,
  version: string,
): { entries: Entry[]; version: string; createdAt: string } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupDamagedError(file, (err as Error).message);
  }
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupDamagedError(file, `SQLite integrity check: ${String(check)}`);
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM cobrew_manifest')
        .all()
        .map((r) => [r.key, r.value]),
    );
    const made = meta.get('version');
    const format = Number(meta.get('format'));
    if (made === undefined || !Number.isInteger(format))
      throw new BackupDamagedError(file, 'it has no manifest');
    if (format > FORMAT || newer(made, version)) throw new BackupNewerError(file, made, version);
    const sums = new Map(
      db
        .prepare<[], { name: string; sha256: string }>('SELECT name, sha256 FROM cobrew_checksums')
        .all()
        .map((r) => [r.name, r.sha256]),
    );
    const known = new Set(PARTS.map((p) => p.name));
    const entries: Entry[] = [];
    const rows = db
      .prepare<[], { name: string; mode: number; sz: number; data: Buffer }>(
        'SELECT name, mode, sz, data FROM sqlar',
      )
      .all();
    for (const r of rows) {
      if (!known.has(r.name)) throw new BackupDamagedError(file, `it holds an unknown entry "${r.name}"`);
      let bytes: Buffer;
      try {
        bytes = r.data.length === r.sz ? r.data : inflateSync(r.data);
      } catch {
        throw new BackupDamagedError(file, `${r.name} cannot be decompressed`);
      }
      if (sha256(bytes) !== sums.get(r.name))
        throw new BackupDamagedError(file, `${r.name} does not match its checksum`);
      entries.push({ name: r.name, mode: r.mode, bytes });
    }
    return { entries, version: made, createdAt: meta.get('createdAt') ?? 'unknown' };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('COBREW_ERR_')) throw err;
    throw new BackupDamagedError(file, (err as Error).message);
  } finally {
    db.close();
  }
}

/** Whether version `a` is later than `b` (x.y.z, numbers compared one by one). */
function newer(a: string, b: string): boolean {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return false;
}

/**
 * Puts a checked backup into `dataDir` (cobrew stopped). What was there is moved aside into
 * `before-restore-<time>/` first, databases with their WAL, so nothing is lost.
 */
export function restoreBackup(opts: { dataDir: string; file: string; version: string; now: number }): {
  restored: string[];
  movedTo: string | null;
} {
  const { entries } = readBackup(opts.file, opts.version);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const stamp = new Date(opts.now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const aside = join(opts.dataDir, `before-restore-${stamp}`);
  let moved = false;
  const byName = new Map<string, Part>(PARTS.map((p) => [p.name, p]));
  for (const e of entries) {
    const part = byName.get(e.name) as Part;
    const path = partPath(opts.dataDir, part);
    for (const suffix of part.kind === 'sqlite' ? ['', '-wal', '-shm'] : ['']) {
      if (!existsSync(path + suffix)) continue;
      mkdirSync(aside, { recursive: true, mode: 0o700 });
      renameSync(path + suffix, join(aside, e.name + suffix));
      moved = true;
    }
    const tmp = `${path}.${process.pid}.tmp`;
    writeWhole(tmp, e.bytes, e.mode & 0o777);
    renameSync(tmp, path);
  }
  return { restored: entries.map((e) => e.name), movedTo: moved ? aside : null };
}

function writeWhole(path: string, bytes: Buffer, mode: number): void {
  // writeFileSync's mode is reduced by the umask: set it outright, before anything is written.
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
