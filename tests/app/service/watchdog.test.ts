// The systemd watchdog against a fake NOTIFY_SOCKET (a unix datagram socket bound here): READY at start,
// WATCHDOG only while the control loop moves, STOPPING at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'unix-dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { systemdNotifier } from '../../../app/service/notify.js';
import { startWatchdog } from '../../../app/service/watchdog.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('systemd watchdog', () => {
  it('is fed only while the control loop ticks', async () => {
    const path = join(dir, 'notify');
    const heard: Array<{ at: number; msg: string }> = [];
    const server = createSocket('unix_dgram', (buf) => heard.push({ at: Date.now(), msg: buf.toString() }));
    server.bind(path);
    const env = { NOTIFY_SOCKET: path, WATCHDOG_USEC: '200000' };
    const notifier = systemdNotifier(env);
    expect(notifier).not.toBeNull();
    let ticks = 0;
    const pump = setInterval(() => ticks++, 20);
    const dog = startWatchdog({ notifier: notifier as never, progress: () => ticks, env });
    await sleep(600);
    // The control loop stalls: nothing more is sent.
    clearInterval(pump);
    const stalledAt = Date.now();
    await sleep(600);
    await dog.stop();
    await sleep(100);
    server.close();

    const msgs = heard.map((h) => h.msg);
    expect(msgs[0]).toBe('READY=1');
    expect(msgs.at(-1)).toBe('STOPPING=1');
    const fed = heard.filter((h) => h.msg === 'WATCHDOG=1');
    expect(fed.length).toBeGreaterThanOrEqual(3);
    // At most one feed after the stall (the check that saw the last ticks).
    expect(fed.filter((h) => h.at > stalledAt + 150)).toEqual([]);
  });

  it('is silent without NOTIFY_SOCKET, and leaves a watchdog meant for another process alone', async () => {
    expect(systemdNotifier({})).toBeNull();
    const sent: string[] = [];
    const dog = startWatchdog({
      notifier: { send: async (s) => void sent.push(s), close: () => {} },
      progress: () => Date.now(),
      env: { WATCHDOG_USEC: '100000', WATCHDOG_PID: String(process.pid + 1) },
    });
    await sleep(200);
    await dog.stop();
    expect(sent).toEqual(['READY=1', 'STOPPING=1']);
  });
});
