// Files holding secrets: written whole or not at all (a temporary file renamed over the old one), readable by
// their owner only, and changed by one process at a time.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import createError from '@fastify/error';

const OWNER_ONLY = 0o600;

export const SecretFileBusyError = createError(
  'COBREW_ERR_SECRET_FILE_BUSY',
  '%s is being changed by another cobrew command; try again. If none is running, delete %s.',
);

export async function writeSecretFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(tmp, 'wx', OWNER_ONLY);
  try {
    // The mode given to open is reduced by the umask; set it outright.
    await file.chmod(OWNER_ONLY);
    await file.writeFile(text, 'utf8');
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // Make the rename itself durable before anyone relies on the new content.
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** How long a lock may be held before it is taken to belong to a process that died holding it. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 15_000;

/** Runs `change` while holding `<path>.lock`, so that two commands editing one file do not lose an edit. */
export async function withFileLock<T>(path: string, change: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', OWNER_ONLY);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (held > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new SecretFileBusyError(path, lock);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await change();
  } finally {
    await rm(lock, { force: true });
  }
}
