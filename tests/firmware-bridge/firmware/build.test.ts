// build.sh: the size report, and a clear failure naming the Debian packages when the toolchain is missing.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildFirmware, FIRMWARE_DIR } from './emulated-board.js';

const run = promisify(execFile);

describe('firmware build', () => {
  it('reports flash and RAM use, within what an Uno with optiboot has and leaving room for the stack', () => {
    const report = buildFirmware('release');
    const m = /release: flash (\d+) bytes .*RAM (\d+) bytes/.exec(report);
    expect(m, report).not.toBeNull();
    const [flash, ram] = [Number(m?.[1]), Number(m?.[2])];
    expect(flash).toBeLessThan(32_768 - 512); // optiboot takes the last 512 bytes
    expect(ram).toBeLessThan(1200); // of 2048: the rest is stack, which interrupts and the loop share
  });

  it('fails with COBREW_ERR_FIRMWARE_TOOLCHAIN naming the packages when avr-gcc is missing', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'cobrew-nopath-'));
    try {
      for (const tool of ['bash', 'dirname', 'make']) await symlink(`/usr/bin/${tool}`, join(bin, tool));
      const building = run(join(FIRMWARE_DIR, 'build.sh'), ['release'], { env: { PATH: bin } });
      await expect(building).rejects.toMatchObject({
        code: 3,
        stderr: expect.stringMatching(
          /COBREW_ERR_FIRMWARE_TOOLCHAIN: avr-gcc not found.*gcc-avr avr-libc binutils-avr/,
        ),
      });
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
