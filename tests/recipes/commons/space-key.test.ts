import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCommonsStore } from '../../../recipes/cli/store.js';
import { loadOrCreateSpaceKey, SPACE_KEY_FILE, spaceIdOf } from '../../../recipes/commons/space-key.js';

const root = mkdtempSync(join(tmpdir(), 'cobrew-space-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the space's signing key", () => {
  it('is made once, owner-only, and names the space by its public key', () => {
    const dir = join(root, 'a');
    const first = loadOrCreateSpaceKey(dir);
    expect(statSync(join(dir, SPACE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(first.id).toMatch(/^[0-9a-f]{20}$/);
    expect(first.id).toBe(spaceIdOf(first.publicKey));
    const again = loadOrCreateSpaceKey(dir);
    expect([again.id, again.publicKey]).toEqual([first.id, first.publicKey]);
    expect(loadOrCreateSpaceKey(join(root, 'b')).id).not.toBe(first.id);
    const store = openCommonsStore({}, dir);
    expect(store.space.id).toBe(first.id);
    store.close();
  });

  it('refuses a key file that is not an Ed25519 key', () => {
    const dir = join(root, 'c');
    loadOrCreateSpaceKey(dir);
    writeFileSync(join(dir, SPACE_KEY_FILE), 'not a key');
    expect(() => loadOrCreateSpaceKey(dir)).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_SPACE_KEY_INVALID' }),
    );
  });

  it('refuses a trusted space whose id is not its key', () => {
    const other = loadOrCreateSpaceKey(join(root, 'd'));
    const wrong = { id: '0'.repeat(20), publicKey: other.publicKey, name: 'Nord' };
    expect(() => openCommonsStore({ commons: { trustedSpaces: [wrong] } }, join(root, 'e'))).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_TRUSTED_SPACE_INVALID' }),
    );
  });
});
