// Scheduled backups while cobrew runs: one every `everyH` hours, counted from the newest one on disk so a
// restart does not skip or repeat one, keeping the newest `keep`. A failed one is tried again after
// `retryMs` (never sooner: a space with no backup yet would otherwise retry at once, forever), and each
// outcome is told to `onOutcome`, which raises and clears the `backup-failing` alert.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { HealthReport } from '../../alerts/index.js';
import { writeBackup } from './archive.js';
import type { BackupSchedule } from './config-schema.js';

const PATTERN = /^cobrew-\d{8}T\d{6}Z\.cobrew$/;
const RETRY_MS = 15 * 60_000;

export interface BackupScheduler {
  stop(): Promise<void>;
}

export function startBackupSchedule(opts: {
  settings: BackupSchedule;
  dataDir: string;
  configFile: string | null;
  version: string;
  log: FastifyBaseLogger;
  /** Told after every scheduled backup: null when it was written, else why it failed. */
  onOutcome?: (failure: string | null) => void;
  /** Wait after a failure; 15 minutes, or everyH when shorter. */
  retryMs?: number;
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

  const retryMs = Math.min(everyMs, opts.retryMs ?? RETRY_MS);
  const run = async (): Promise<boolean> => {
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
      opts.onOutcome?.(null);
      return true;
    } catch (err) {
      opts.log.error({ err, dir, retryMs }, 'the scheduled backup failed; it is tried again after retryMs');
      opts.onOutcome?.((err as Error).message);
      return false;
    }
  };
  const plan = (afterFailure: boolean) => {
    if (stopped) return;
    const newest = ours().at(-1);
    const last = newest === undefined ? Number.NEGATIVE_INFINITY : statSync(join(dir, newest)).mtimeMs;
    const dueMs = Math.max(0, Math.min(everyMs, last + everyMs - Date.now()));
    timer = setTimeout(
      () => {
        running = run().then((ok) => plan(!ok));
      },
      afterFailure ? Math.max(dueMs, retryMs) : dueMs,
    );
  };
  plan(false);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** A scheduled backup's outcome (null: written) as the `backup-failing` alert sees it. */
export function backupHealth(failure: string | null): HealthReport {
  return {
    check: 'backup',
    failing: failure !== null,
    detail: failure ?? 'the last scheduled backup was written',
  };
}
