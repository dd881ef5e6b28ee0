import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, runCobrew } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cobrew command', () => {
  it('explains itself with --help', async () => {
    const top = await runCobrew(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: cobrew');
    expect(top.stdout).toMatch(/start \[options\]/);
    expect(top.stdout).toContain('config');
    expect(top.stdout).toContain('COBREW_DATA_DIR');
    expect(top.stdout).toContain('COBREW_WS_PORT');
    expect(top.stdout).toContain('mqtt-user');

    const start = await runCobrew(['start', '--help']);
    expect(start.code).toBe(0);
    for (const option of [
      '--data-dir',
      '--config',
      '--http-port',
      '--mqtt-port',
      '--ws-port',
      '--speed',
      '--log-level',
    ]) {
      expect(start.stdout).toContain(option);
    }

    const users = await runCobrew(['mqtt-user', '--help']);
    expect(users.code).toBe(0);
    for (const word of ['add', 'list', 'remove', 'bridge', 'service', 'viewer', 'ispindel']) {
      expect(users.stdout).toContain(word);
    }
  });

  it('config check refuses a bad file with exit code 2 and a message a person can act on', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'http:\n  port: -1\nfermenters:\n  - id: Ale One\n    name: Ale\n    board: {type: sim}\n',
    );
    const res = await runCobrew(['config', 'check', '--config', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^COBREW_ERR_CONFIG_INVALID: /);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toContain('http.port: -1 is not allowed; it must be >= 0');
    expect(res.stderr).toContain('fermenters[0].id: "Ale One" is not allowed');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).toBe('');
  });

  it('config check refuses a bad environment value with exit code 2', async () => {
    const res = await runCobrew(
      ['config', 'check'],
      cleanEnv({ COBREW_DATA_DIR: dir, COBREW_SPEED: 'fast' }),
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('COBREW_ERR_CONFIG_INVALID: COBREW_SPEED: "fast" is not a number');
  });

  it('config check prints the resolved configuration as YAML', async () => {
    const res = await runCobrew(
      ['config', 'check', '--mqtt-port', '1999'],
      cleanEnv({ COBREW_DATA_DIR: join(dir, 'empty'), COBREW_HTTP_PORT: '8181' }),
    );
    expect(res.code).toBe(0);
    const config = parse(res.stdout);
    expect(config.http.port).toBe(8181);
    expect(config.mqtt.port).toBe(1999);
    expect(config.fermenters.map((f: { id: string }) => f.id)).toEqual(['ale', 'lager']);
    expect(res.stderr).toContain('built-in defaults');
  });

  it('config check hides the external broker password', async () => {
    const file = join(dir, 'external.yaml');
    await writeFile(
      file,
      'mqtt:\n  url: mqtt://broker.lan:1883\n  username: cobrew\n  password: s3cret-brew\n',
    );
    const res = await runCobrew(['config', 'check', '--config', file]);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('s3cret-brew');
    expect(parse(res.stdout).mqtt).toMatchObject({ username: 'cobrew', password: '********' });
  });

  it('config schema prints the JSON Schema of cobrew.yaml', async () => {
    const res = await runCobrew(['config', 'schema']);
    expect(res.code).toBe(0);
    const schema = JSON.parse(res.stdout);
    expect(schema.title).toBe('cobrew.yaml');
    expect(schema.properties.http.properties.port.default).toBe(8080);
    expect(schema.properties.fermenters.items.properties.id.pattern).toBeDefined();
    // Everything with a default may be left out of the file.
    expect(schema.required).toBeUndefined();
    expect(schema.properties.fermenters.items.required).toEqual(['id', 'name', 'board']);
  });
});
