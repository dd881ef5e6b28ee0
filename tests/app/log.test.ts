import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../app/log.js';
import { cleanEnv, ROOT } from './cli-helpers.js';

const run = promisify(execFile);

function capture(level: 'info' | 'warn' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level, destination: { write: (line) => lines.push(JSON.parse(line)) } });
  return { log, lines };
}

describe('logger', () => {
  it('writes JSON lines to stderr when it is not a terminal, leaving stdout to command output', async () => {
    const script =
      "const { createLogger } = await import('./app/log.ts');" +
      "createLogger().info({ fermenter: 'ale' }, 'hello'); process.exit(0);";
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, env: cleanEnv() },
    );
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 30, fermenter: 'ale', msg: 'hello' });
  });

  it('keeps to its level', () => {
    const { log, lines } = capture('warn');
    log.info('not this');
    log.warn({ fermenter: 'ale' }, 'this');
    expect(lines.map((l) => l.msg)).toEqual(['this']);
  });

  it('masks a secret passed to it by mistake, at the top or one level down', () => {
    const { log, lines } = capture();
    log.info({ password: 'hop secret', mqtt: { url: 'mqtt://127.0.0.1', token: 'malt secret' } }, 'oops');
    expect(JSON.stringify(lines)).not.toMatch(/hop secret|malt secret/);
    expect(lines[0]).toMatchObject({
      password: '********',
      mqtt: { url: 'mqtt://127.0.0.1', token: '********' },
    });
  });

  it('serialises an error with its code', () => {
    const { log, lines } = capture();
    log.error({ err: Object.assign(new Error('disk full'), { code: 'ENOSPC' }) }, 'write failed');
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'write failed',
      err: { message: 'disk full', code: 'ENOSPC' },
    });
  });
});
