// Scheduled backups while cobrew runs: one every `everyH` hours, counted from the newest one on disk so a
// restart does not skip or repeat one, keeping the newest `keep`.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { writeBackup } from './archive.js';
import type { BackupSchedule } from './config-schema.js';

const PATTERN = /^cobrew-\d{8}T\d{6}Z\.cobrew$/;

export interface BackupScheduler {
  stop(): Promise<void>;
}

export function startBackupSchedule(opts: {
  settings: BackupSchedule;
  dataDir: string;
  configFile: string | null;
  version: string;
  log: FastifyBaseLogger;
}): BackupScheduler {
  const dir = opts.settings.dir ?? join(opts.dataDir, 'backups');
  const everyMs = opts.settings.everyH * 3_600_000;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ours = () =>
    readdirSync(dir)
      .filter((f) => PATTERN.test(f))
      .sort();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async () => {
    const now = Date.now();
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const dest = join(dir, `cobrew-${stamp}Z.cobrew`);
    try {
      await writeBackup({
        dataDir: opts.dataDir,
        configFile: opts.configFile,
        dest,
        version: opts.version,
        now,
      });
      opts.log.info({ file: dest }, 'scheduled backup written');
      for (const old of ours().slice(0, -opts.settings.keep)) rmSync(join(dir, old), { force: true });
    } catch (err) {
      opts.log.error({ err, dir }, 'the scheduled backup failed; the next one is tried on schedule');
    }
  };
  const plan = () => {
    if (stopped) return;
    const newest = ours().at(-1);
    const last = newest === undefined ? Number.NEGATIVE_INFINITY : statSync(join(dir, newest)).mtimeMs;
    const waitMs = Math.max(0, Math.min(everyMs, last + everyMs - Date.now()));
    timer = setTimeout(() => {
      running = run().then(plan);
    }, waitMs);
  };
  plan();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
