// The systemd unit `cobrew service unit` prints: what docs/operations.md promises, and valid for systemd.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceUnit } from '../../../app/service/unit.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cobrew.service', () => {
  it('starts after the network, restarts on failure, joins dialout, has a watchdog, and passes systemd-analyze', () => {
    const unit = serviceUnit({
      user: 'root',
      node: process.execPath,
      entry: '/opt/cobrew/dist/app/cli/main.js',
      dataDir: '/var/lib/cobrew',
    });
    for (const line of [
      'After=network-online.target',
      'Wants=network-online.target',
      'Type=notify',
      'Restart=on-failure',
      'SupplementaryGroups=dialout',
      'WatchdogSec=30',
      'StateDirectory=cobrew',
      'StateDirectoryMode=0700',
      'UMask=0077',
      `ExecStart=${process.execPath} --max-semi-space-size=1 --heap-growing-percent=10 /opt/cobrew/dist/app/cli/main.js start --data-dir /var/lib/cobrew`,
      'WantedBy=multi-user.target',
    ])
      expect(unit).toContain(`${line}\n`);
    const file = join(dir, 'cobrew.service');
    writeFileSync(file, unit);
    // Throws (non-zero exit) on any unknown key or bad value.
    const out = execFileSync('systemd-analyze', ['verify', file], { encoding: 'utf8', stdio: 'pipe' });
    expect(out).toBe('');
  });

  it('keeps the data where the person says, outside /var/lib without a StateDirectory', () => {
    const unit = serviceUnit({
      user: 'pi',
      node: '/usr/bin/node',
      entry: '/x/main.js',
      dataDir: '/srv/cobrew',
    });
    expect(unit).toContain('--data-dir /srv/cobrew\n');
    expect(unit).not.toContain('StateDirectory');
    expect(unit).toContain('User=pi\n');
  });
});
