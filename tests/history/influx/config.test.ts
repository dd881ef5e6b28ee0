// The `influx:` section of cobrew.yaml: optional, defaults from the schema, clear refusals, and a token
// that `cobrew config check` never prints.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../app/config/load.js';
import { runCobrew } from '../../app/cli-helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-config-influx-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(join(dir, 'cobrew.yaml'), text);
  return (await loadConfig({ flags: { dataDir: dir }, env: {} })).config;
}

const SECTION =
  'influx: { url: "http://influx.lan:8086", token: "s3cret-t0ken", org: atelier, bucket: brews }';

describe('influx settings', () => {
  it('are absent unless given: no mirror', async () => {
    expect((await load('sim: { speed: 1 }')).influx).toBeUndefined();
  });

  it('fill in their defaults', async () => {
    expect((await load(SECTION)).influx).toEqual({
      url: 'http://influx.lan:8086',
      token: 's3cret-t0ken',
      org: 'atelier',
      bucket: 'brews',
      space: 'cobrew',
      flushIntervalMs: 1000,
      batchSize: 1000,
      timeoutMs: 10_000,
      queueMaxReadings: 1_000_000,
      retryMinMs: 1000,
      retryMaxMs: 60_000,
    });
  });

  it.each([
    [
      'influx: { url: "influx.lan:8086", org: a, bucket: b }',
      '  - influx.url: "influx.lan:8086" is not allowed; give the server\'s URL starting with http:// or https://, e.g. http://influx.lan:8086',
    ],
    ['influx: { url: "http://influx.lan", bucket: b }', '  - influx.org: missing; it is required'],
    [
      'influx: { url: "http://influx.lan", org: a, bucket: b, queueMaxReadings: 0 }',
      '  - influx.queueMaxReadings: 0 is not allowed; it must be >= 1',
    ],
    ['influx: { url: "http://influx.lan", org: a, bucket: b, tokn: x }', '  - influx.tokn: unknown key'],
  ])('refuse %s', async (text, problem) => {
    const err = await load(text).then(
      () => expect.fail('accepted'),
      (e: { code: string; message: string }) => e,
    );
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain(problem);
  });

  it('config check hides the token', async () => {
    const file = join(dir, 'influx.yaml');
    await writeFile(file, `${SECTION}\n`);
    const res = await runCobrew(['config', 'check', '--config', file]);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('s3cret-t0ken');
    expect(parse(res.stdout).influx).toMatchObject({ url: 'http://influx.lan:8086', token: '********' });
  });
});
