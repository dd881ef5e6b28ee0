// `cobrew user add|list|remove`, as a person runs it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccounts } from '../../../dashboard/accounts/index.js';
import { cleanEnv, type Finished, finished, ROOT } from '../../app/cli-helpers.js';

/** Runs cobrew with `input` on its standard input, as if typed or piped. */
function cobrew(args: string[], input = ''): Promise<Finished> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(input);
  return finished(child);
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cobrew-user-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('cobrew user', () => {
  it('adds the first admin with the password asked twice, then lists and removes users', async () => {
    const empty = await cobrew(['user', 'list', '--data-dir', dataDir]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('cobrew user add <name> --role admin');

    const added = await cobrew(
      ['user', 'add', 'ada', '--role', 'admin', '--data-dir', dataDir],
      'brassin 42\nbrassin 42\n',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('Password: ');
    expect(added.stderr).toContain('Password again: ');
    expect(added.stderr + added.stdout).not.toContain('brassin 42');
    expect(added.stdout).toContain('Added dashboard user ada (admin)');

    const given = await cobrew([
      'user',
      'add',
      'vera',
      '--role',
      'viewer',
      '--password',
      'regarder 1',
      '--data-dir',
      dataDir,
    ]);
    expect(given.code, given.stderr).toBe(0);
    const accounts = openAccounts({ dataDir });
    try {
      expect(await accounts.users.verify('ada', 'brassin 42')).toEqual({ name: 'ada', role: 'admin' });
      expect(await accounts.users.verify('vera', 'regarder 1')).toEqual({ name: 'vera', role: 'viewer' });
    } finally {
      accounts.close();
    }

    const list = await cobrew(['user', 'list', '--data-dir', dataDir]);
    expect(list.stdout.split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'NAME ROLE',
      'ada admin',
      'vera viewer',
      '',
    ]);
    const removed = await cobrew(['user', 'remove', 'vera', '--data-dir', dataDir]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed dashboard user vera');
    const after = openAccounts({ dataDir });
    try {
      expect(after.users.list().map((u) => u.name)).toEqual(['ada']);
    } finally {
      after.close();
    }
  });

  it('refuses two different passwords, a bad role and an unknown user with a typed error and no stack', async () => {
    const cases: Array<[string[], string, string]> = [
      [['user', 'add', 'bob', '--role', 'brewer'], 'first one\nsecond one\n', 'COBREW_ERR_PASSWORD_MISMATCH'],
      [['user', 'add', 'bob', '--role', 'chef', '--password', 'long enough'], '', 'COBREW_ERR_ROLE_INVALID'],
      [['user', 'remove', 'nobody'], '', 'COBREW_ERR_USER_UNKNOWN'],
    ];
    for (const [args, input, code] of cases) {
      const res = await cobrew([...args, '--data-dir', dataDir], input);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr).toContain(`${code}: `);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
    const accounts = openAccounts({ dataDir });
    try {
      expect(accounts.users.list().map((u) => u.name)).not.toContain('bob');
    } finally {
      accounts.close();
    }
  });
});
