// johnny-five 2.1.0 brings serialport 8; cobrew talks Firmata through firmata-io on serialport 13 only.
// These checks fail if the old serialport (or johnny-five, or the `firmata` wrapper) comes back.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const major = (v: string) => Number(v.split('.')[0]);
const serialportFamily = (name: string) => name === 'serialport' || name.startsWith('@serialport/');
/** serialport 8 and its parts (its native binding and abstract binding were renamed after 9). */
const fromSerialport8 = (p: { name: string; version: string }) =>
  serialportFamily(p.name) &&
  (major(p.version) === 8 || p.name === '@serialport/bindings' || p.name === '@serialport/binding-abstract');

describe('the Firmata runtime path', () => {
  it('loads firmata-io and serialport 13, and no serialport 8, johnny-five or firmata', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'tests/firmware-bridge/drivers/firmata/fixtures/loaded-packages.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const { beer, packages } = JSON.parse(run.stdout) as { beer: number; packages: string[] };
    // The child really ran the handshake and a DS18B20 sample over the byte path.
    expect(beer).toBe(19.5);
    const parsed = packages.map((p) => {
      const at = p.lastIndexOf('@');
      return { name: p.slice(0, at), version: p.slice(at + 1) };
    });
    expect(parsed).toContainEqual({ name: 'firmata-io', version: expect.stringMatching(/^2\./) });
    expect(parsed).toContainEqual({ name: 'serialport', version: expect.stringMatching(/^13\./) });
    expect(parsed.filter(fromSerialport8)).toEqual([]);
    expect(parsed.filter((p) => ['johnny-five', 'firmata', 'browser-serialport'].includes(p.name))).toEqual(
      [],
    );
  });

  it('installs no serialport below 13 anywhere in the dependency tree', () => {
    const lock = JSON.parse(readFileSync(`${root}/package-lock.json`, 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const serialports = Object.entries(lock.packages)
      .filter(([path]) => path.endsWith('node_modules/serialport'))
      .map(([path, p]) => `${path}@${p.version}`);
    expect(serialports.length).toBeGreaterThan(0);
    expect(serialports.filter((s) => major(s.split('@').at(-1) ?? '0') !== 13)).toEqual([]);
    expect(Object.keys(lock.packages).filter((p) => /node_modules\/(johnny-five|firmata)$/.test(p))).toEqual(
      [],
    );
  });
});
