// `cobrew board flash`: avrdude's arguments, refusing boards that are not the reference, verifying the HELLO
// after writing, and the journal. avrdude is replaced at the process boundary by a script that records its
// arguments; the board is the firmware running in simavr, identified by cobrew's line driver on its pty.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  avrdudeArgs,
  buildRelease,
  type FlashDeps,
  type FlashRecord,
  flashBoard,
  identifyBoard,
  refusal,
  runAvrdude,
} from '../../../firmware-bridge/commissioning/board-flash.js';
import type { BoardIdentity } from '../../../firmware-bridge/drivers/driver.js';
import {
  buildFirmware,
  EmulatedBoard,
  FIRMWARE_VERSION,
  RELEASE_ELF,
  TEST_ELF,
} from '../firmware/emulated-board.js';

const reference: BoardIdentity = {
  firmware: 'cobrew-ref',
  version: '0.9.0',
  profile: 'ref-uno-r1',
  resetCause: 'power-on',
  sensors: [],
};

describe('cobrew board flash', () => {
  let dir = '';
  const stops: Array<() => Promise<unknown>> = [];
  beforeAll(() => {
    buildFirmware('release', 'test', 'sim');
  });
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  /** A stand-in avrdude that records its arguments and exits with `code`, printing `says`. */
  async function fakeAvrdude(
    code: number,
    says = '',
  ): Promise<{ command: string; args: () => Promise<string[]> }> {
    dir = dir || (await mkdtemp(join(tmpdir(), 'cobrew-flash-')));
    const command = join(dir, 'avrdude');
    const argsFile = join(dir, 'args');
    await writeFile(
      command,
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho '${says}' >&2\nexit ${code}\n`,
    );
    await chmod(command, 0o755);
    return { command, args: async () => (await readFile(argsFile, 'utf8')).trim().split('\n') };
  }

  async function journal(): Promise<FlashRecord[]> {
    const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    return text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FlashRecord);
  }

  function deps(over: Partial<FlashDeps> & Pick<FlashDeps, 'identify' | 'avrdude'>): FlashDeps {
    return { build: () => buildRelease(), now: () => 1_700_000_000_000, log: () => {}, ...over };
  }

  it('writes through the bootloader without a chip erase, at 115200 for optiboot and 57600 for an old Nano', () => {
    expect(avrdudeArgs('/dev/ttyACM0', '/x/cobrew-ref.hex', 'optiboot')).toEqual([
      '-c',
      'arduino',
      '-p',
      'm328p',
      '-P',
      '/dev/ttyACM0',
      '-b',
      '115200',
      '-D',
      '-U',
      'flash:w:/x/cobrew-ref.hex:i',
    ]);
    expect(avrdudeArgs('/dev/ttyUSB0', 'a.hex', 'old-nano')).toContain('57600');
  });

  it('refuses a board without a cobrew HELLO or with another profile, and allows the reference', () => {
    expect(refusal(null)).toMatch(/did not say HELLO/);
    expect(refusal({ ...reference, profile: 'custom' })).toMatch(/"custom" board/);
    expect(refusal(reference)).toBeNull();
  });

  it('flashes a reference board, checks that it says HELLO with the version just built, and journals both versions', async () => {
    const board = await EmulatedBoard.start({ elf: RELEASE_ELF, speed: 1 });
    stops.push(() => board.stop());
    const avrdude = await fakeAvrdude(0);
    const record = await flashBoard(
      { port: board.pty, force: false, bootloader: 'optiboot', journal: join(dir, 'journal.jsonl') },
      deps({
        identify: (port) => identifyBoard(port),
        avrdude: (args) => runAvrdude(avrdude.command, args),
      }),
    );
    expect(record.result).toBe('flashed');
    expect(await avrdude.args()).toEqual(
      avrdudeArgs(board.pty, join(dirname(RELEASE_ELF), 'cobrew-ref.hex'), 'optiboot'),
    );
    const [line] = await journal();
    expect(line).toMatchObject({
      kind: 'firmware-flash',
      port: board.pty,
      built: FIRMWARE_VERSION,
      result: 'flashed',
      before: { firmware: 'cobrew-ref', version: FIRMWARE_VERSION, profile: 'ref-uno-r1' },
      after: { firmware: 'cobrew-ref', version: FIRMWARE_VERSION, profile: 'ref-uno-r1' },
    });
  });

  it('says the flash did not take when the board afterwards reports another version', async () => {
    // The test build reports <version>+test: as if the old firmware were still there.
    const board = await EmulatedBoard.start({ elf: TEST_ELF, speed: 1 });
    stops.push(() => board.stop());
    const avrdude = await fakeAvrdude(0);
    const flashing = flashBoard(
      { port: board.pty, force: false, bootloader: 'optiboot', journal: join(dir, 'journal.jsonl') },
      deps({ identify: (port) => identifyBoard(port), avrdude: (args) => runAvrdude(avrdude.command, args) }),
    );
    await expect(flashing).rejects.toMatchObject({ code: 'COBREW_ERR_FLASH_VERIFY' });
    await expect(flashing).rejects.toThrow(
      `says cobrew-ref ${FIRMWARE_VERSION}+test (ref-uno-r1) instead of cobrew-ref ${FIRMWARE_VERSION}`,
    );
    expect((await journal())[0]).toMatchObject({ result: 'unverified', error: 'COBREW_ERR_FLASH_VERIFY' });
  });

  it('leaves a board with another profile alone unless forced, and journals the refusal', async () => {
    const avrdude = await fakeAvrdude(0);
    let runs = 0;
    const custom = { ...reference, profile: 'custom' };
    const plan = {
      port: '/dev/ttyX',
      force: false,
      bootloader: 'optiboot' as const,
      journal: join(dir, 'journal.jsonl'),
    };
    const d = deps({
      identify: async () => custom,
      avrdude: (args) => {
        runs++;
        return runAvrdude(avrdude.command, args);
      },
    });
    await expect(flashBoard(plan, d)).rejects.toMatchObject({ code: 'COBREW_ERR_FLASH_REFUSED' });
    expect(runs).toBe(0);
    // Forced: written, and then the HELLO (still "custom" in this stand-in) fails the check.
    await expect(flashBoard({ ...plan, force: true }, d)).rejects.toMatchObject({
      code: 'COBREW_ERR_FLASH_VERIFY',
    });
    expect(runs).toBe(1);
    expect((await journal()).map((r) => [r.result, r.forced])).toEqual([
      ['refused', false],
      ['unverified', true],
    ]);
  });

  it("reports avrdude's failure with its last words, and a missing avrdude with how to install it", async () => {
    const avrdude = await fakeAvrdude(1, 'avrdude: stk500_recv(): programmer is not responding');
    const plan = {
      port: '/dev/ttyX',
      force: false,
      bootloader: 'optiboot' as const,
      journal: join(dir, 'journal.jsonl'),
    };
    const failing = flashBoard(
      plan,
      deps({ identify: async () => reference, avrdude: (a) => runAvrdude(avrdude.command, a) }),
    );
    await expect(failing).rejects.toMatchObject({ code: 'COBREW_ERR_FLASH_FAILED' });
    await expect(failing).rejects.toThrow(/programmer is not responding/);
    const missing = flashBoard(
      plan,
      deps({ identify: async () => reference, avrdude: (a) => runAvrdude(join(dir, 'no-such-avrdude'), a) }),
    );
    await expect(missing).rejects.toMatchObject({ code: 'COBREW_ERR_AVRDUDE_MISSING' });
    expect((await journal()).map((r) => r.result)).toEqual(['failed', 'failed']);
  });
});
