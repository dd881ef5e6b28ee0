// The space's own health, as the alerts see it: narrow views of the history store, the InfluxDB mirror and
// the data directory's disk, each turned into one check that is failing or not.
import { statfs } from 'node:fs/promises';
import type { HealthCheck } from './rules.js';

export interface HealthReport {
  check: HealthCheck;
  failing: boolean;
  detail: string;
}
export type HealthProbe = () => Promise<HealthReport>;

/** The history store: `HistoryService.stats()`. */
export function historyProbe(history: { stats(): { failing: boolean; spooled: number } }): HealthProbe {
  return async () => {
    const s = history.stats();
    return { check: 'history', failing: s.failing, detail: `${s.spooled} readings waiting in the spool` };
  };
}

/** The InfluxDB mirror: `InfluxMirror.status()`. */
export function mirrorProbe(mirror: { status(): Promise<{ down: boolean; backlog: number }> }): HealthProbe {
  return async () => {
    const s = await mirror.status();
    return { check: 'mirror', failing: s.down, detail: `${s.backlog} readings queued` };
  };
}

/** Free space of the file system holding the data directory. */
export function diskProbe(dataDir: string, minFreePercent: number): HealthProbe {
  return async () => {
    const s = await statfs(dataDir);
    const freePercent = s.blocks > 0 ? (s.bavail / s.blocks) * 100 : 100;
    return {
      check: 'disk',
      failing: freePercent < minFreePercent,
      detail: `${freePercent.toFixed(1)} % free in ${dataDir}`,
    };
  };
}
