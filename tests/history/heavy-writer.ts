// A child process for the kill -9 test: writes readings as fast as the history service takes them and
// prints "ack <n>" each time the first n are committed. Item i is fermenter `f<i % 2>` at T0 + ⌊i/2⌋ s.
import { silentLog } from '../../broker/log.js';
import { HistoryService } from '../../history/service.js';
import { stateItem, T0 } from './fixtures.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: heavy-writer.ts <history.db>');
let acknowledged = 0;
const service = await HistoryService.start({
  path,
  retentionMs: 365 * 86_400_000,
  queueMax: 1_000_000,
  log: silentLog,
  onAcknowledged: (n) => {
    acknowledged += n;
    process.stdout.write(`ack ${acknowledged}\n`);
  },
});
let next = 0;
const item = (i: number) => stateItem(`f${i % 2}`, T0 + Math.floor(i / 2) * 1000);
const pump = () => {
  if (service.stats().queued < 20_000) {
    const batch = Array.from({ length: 2000 }, () => item(next++));
    service.write(batch);
  }
  setImmediate(pump);
};
pump();
