// cobrew's own MQTT clients log in to its embedded broker with the passwords the process has just checked
// against the users file: compared in constant time, not with a scrypt each (they are on the way to the first
// published state). Any other password, any other user, and the same user once its hash has changed, are
// still checked with scrypt.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureComponentAccounts } from '../../broker/component-accounts.js';
import { addUser, setUserPassword, UserDirectory, usersFile } from '../../broker/credentials.js';
import { verifyPassword } from '../../broker/password.js';
import { TEST_COST } from './auth-rig.js';

// The real check, watched: how many scrypt checks each login costs.
vi.mock('../../broker/password.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../broker/password.js')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const scryptChecks = () => vi.mocked(verifyPassword).mock.calls.length;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-logins-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function directory() {
  const accounts = await ensureComponentAccounts({
    dataDir: dir,
    bridgeId: 'cellar',
    fermenters: ['ale'],
    cost: TEST_COST,
  });
  return { accounts, users: new UserDirectory(usersFile(dir), accounts.checked) };
}

describe("cobrew's own logins", () => {
  it('are let in by the password just checked, without another scrypt', async () => {
    const { accounts, users } = await directory();
    const before = scryptChecks();
    expect(await users.login('cellar', accounts.bridge.password)).toEqual({
      ok: true,
      principal: { name: 'cellar', role: 'bridge', fermenters: ['ale'] },
    });
    expect(await users.login('dashboard', accounts.dashboard.password)).toEqual({
      ok: true,
      principal: { name: 'dashboard', role: 'service' },
    });
    expect(scryptChecks()).toBe(before);
  });

  it('with any other password are checked with scrypt, and refused', async () => {
    const { accounts, users } = await directory();
    const before = scryptChecks();
    expect(await users.login('cellar', accounts.dashboard.password)).toEqual({
      ok: false,
      reason: 'wrong password',
    });
    expect(await users.login('cellar', `${accounts.bridge.password}x`)).toMatchObject({ ok: false });
    expect(scryptChecks()).toBe(before + 2);
  });

  it('no longer pass by the old password once the users file gives a new one', async () => {
    const { accounts, users } = await directory();
    await setUserPassword(usersFile(dir), 'cellar', 'a brand new secret', TEST_COST);
    expect(await users.login('cellar', accounts.bridge.password)).toEqual({
      ok: false,
      reason: 'wrong password',
    });
    const before = scryptChecks();
    expect(await users.login('cellar', 'a brand new secret')).toMatchObject({ ok: true });
    expect(scryptChecks()).toBe(before + 1);
  });

  it("leave people's logins to scrypt", async () => {
    const { users } = await directory();
    await addUser(usersFile(dir), { name: 'eve', role: 'viewer', password: 'correct horse' }, TEST_COST);
    const before = scryptChecks();
    expect(await users.login('eve', 'correct horse')).toMatchObject({ ok: true });
    expect(scryptChecks()).toBe(before + 1);
  });
});
