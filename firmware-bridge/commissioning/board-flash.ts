// `cobrew board flash --port <path> [--force]`: builds the reference firmware if needed, writes it with avrdude
// through the board's bootloader, then checks that the board says HELLO with the version just built. A
// board that does not say it is a reference board is left alone unless --force. Every attempt is journalled.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createError from '@fastify/error';
import { type Command, Option } from 'commander';
import type { CliContext } from '../../common/cli-context.js';
import type { BoardIdentity } from '../drivers/driver.js';
import { LineDriver } from '../drivers/line/line-driver.js';

/** The board profile the reference firmware is built for (firmware-bridge/firmware/Makefile). */
export const REFERENCE_PROFILE = 'ref-uno-r1';
const FIRMWARE_NAME = 'cobrew-ref';

/** Bootloader speeds: optiboot (Uno, Nano "new bootloader") and the Nano's old ATmegaBOOT. */
export const BOOTLOADER_BAUD = { optiboot: 115200, 'old-nano': 57600 } as const;
export type Bootloader = keyof typeof BOOTLOADER_BAUD;

export const FlashRefusedError = createError<'COBREW_ERR_FLASH_REFUSED', [string, string]>(
  'COBREW_ERR_FLASH_REFUSED',
  'Not flashing %s: %s. Check that this port is the reference board (`cobrew board list`); if it is ' +
    '(a new board, or one you mean to bring back to the reference design), run again with --force.',
);

export const FlashFailedError = createError<'COBREW_ERR_FLASH_FAILED', [string, string, string]>(
  'COBREW_ERR_FLASH_FAILED',
  'avrdude could not write the firmware to %s (%s). Its last words: %s. Check the port and that nothing ' +
    'else holds it; a Nano with the old bootloader needs --bootloader old-nano (57600 baud).',
);

export const AvrdudeMissingError = createError<'COBREW_ERR_AVRDUDE_MISSING', [string]>(
  'COBREW_ERR_AVRDUDE_MISSING',
  'Cannot run %s: it is not installed. Install it (on Debian: sudo apt-get install avrdude) and try again.',
);

export const FlashVerifyError = createError<'COBREW_ERR_FLASH_VERIFY', [string, string, string]>(
  'COBREW_ERR_FLASH_VERIFY',
  'The board on %s was flashed, but afterwards it %s instead of cobrew-ref %s. Unplug it, plug it in and ' +
    'flash again; if that fails too, the board or its bootloader needs a look.',
);

export const FirmwareBuildError = createError<'COBREW_ERR_FIRMWARE_BUILD', [string]>(
  'COBREW_ERR_FIRMWARE_BUILD',
  'Cannot build the reference firmware: %s',
);

/** avrdude's arguments to write `hex` through an Arduino bootloader on `port`. */
export function avrdudeArgs(port: string, hex: string, bootloader: Bootloader): string[] {
  // -D: no chip erase; the bootloader erases each page as it writes it, and must itself survive.
  return [
    '-c',
    'arduino',
    '-p',
    'm328p',
    '-P',
    port,
    '-b',
    String(BOOTLOADER_BAUD[bootloader]),
    '-D',
    '-U',
    `flash:w:${hex}:i`,
  ];
}

/** Why a board may not be flashed without --force, or null when it says it is a reference board. */
export function refusal(before: BoardIdentity | null): string | null {
  if (before === null)
    return 'it did not say HELLO in cobrew line protocol 1, so cobrew cannot tell what it is';
  if (before.profile !== REFERENCE_PROFILE) {
    return `it says it is a "${before.profile}" board (${before.firmware} ${before.version}), not the reference board ${REFERENCE_PROFILE}`;
  }
  return null;
}

export interface FlashPlan {
  port: string;
  force: boolean;
  bootloader: Bootloader;
  /** <data dir>/journal.jsonl */
  journal: string;
}

/** The outside world of a flash: each is replaced in tests at the process or port boundary. */
export interface FlashDeps {
  /** Builds the release firmware if needed; its .hex and the version it reports. */
  build(): Promise<{ hex: string; version: string; report: string }>;
  /** The board's HELLO, or null when no cobrew HELLO came. */
  identify(port: string): Promise<BoardIdentity | null>;
  /** Runs avrdude; resolves with its exit code and its output. */
  avrdude(args: string[]): Promise<{ code: number; output: string }>;
  now(): number;
  log(line: string): void;
}

export interface FlashRecord {
  at: number;
  kind: 'firmware-flash';
  port: string;
  forced: boolean;
  built: string;
  before: BoardIdentity | null;
  after: BoardIdentity | null;
  result: 'flashed' | 'refused' | 'failed' | 'unverified';
  error?: string;
}

const identityText = (i: BoardIdentity) => `${i.firmware} ${i.version} (${i.profile})`;

export async function flashBoard(plan: FlashPlan, deps: FlashDeps): Promise<FlashRecord> {
  const built = await deps.build();
  deps.log(built.report);
  const before = await deps.identify(plan.port);
  deps.log(before === null ? `${plan.port}: no cobrew HELLO` : `${plan.port}: ${identityText(before)}`);
  const record: FlashRecord = {
    at: deps.now(),
    kind: 'firmware-flash',
    port: plan.port,
    forced: plan.force,
    built: built.version,
    before,
    after: null,
    result: 'refused',
  };
  const journal = async (r: FlashRecord) => {
    await mkdir(dirname(plan.journal), { recursive: true });
    await appendFile(plan.journal, `${JSON.stringify(r)}\n`);
  };
  try {
    const why = refusal(before);
    if (why !== null && !plan.force) throw new FlashRefusedError(plan.port, why);
    record.result = 'failed';
    deps.log(`writing ${built.hex} with avrdude…`);
    const run = await deps.avrdude(avrdudeArgs(plan.port, built.hex, plan.bootloader));
    if (run.code !== 0) {
      const tail = run.output.trim().split('\n').slice(-3).join(' / ') || 'nothing';
      throw new FlashFailedError(plan.port, `exit code ${run.code}`, tail);
    }
    record.result = 'unverified';
    const after = await deps.identify(plan.port);
    record.after = after;
    if (after === null || after.firmware !== FIRMWARE_NAME || after.version !== built.version) {
      const said = after === null ? 'did not say HELLO' : `says ${identityText(after)}`;
      throw new FlashVerifyError(plan.port, said, built.version);
    }
    record.result = 'flashed';
    return record;
  } catch (err) {
    record.error = (err as { code?: string }).code ?? (err as Error).message;
    throw err;
  } finally {
    await journal(record);
  }
}

/** firmware-bridge/firmware/, found from here both in the sources and in the built dist/. */
export function firmwareDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'firmware-bridge', 'firmware');
    if (existsSync(join(candidate, 'build.sh'))) return candidate;
  }
  throw new FirmwareBuildError(`firmware-bridge/firmware/build.sh not found above ${from}`);
}

export function buildRelease(dir = firmwareDir()): Promise<{ hex: string; version: string; report: string }> {
  return new Promise((resolve, reject) => {
    execFile(join(dir, 'build.sh'), ['release'], (err, stdout, stderr) => {
      if (err) {
        reject(new FirmwareBuildError(stderr.trim() || err.message));
        return;
      }
      readFile(join(dir, 'VERSION'), 'utf8').then(
        (v) =>
          resolve({
            hex: join(dir, 'build/release/cobrew-ref.hex'),
            version: v.trim(),
            report: stdout.trim(),
          }),
        reject,
      );
    });
  });
}

/** Runs `command` (avrdude) and collects what it prints, handing each piece to `echo` as it comes. */
export function runAvrdude(
  command: string,
  args: string[],
  echo: (text: string) => void = () => {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      echo(d.toString());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new AvrdudeMissingError(command) : err),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Opens the port with the line driver just long enough to read its HELLO. */
export async function identifyBoard(port: string, helloTimeoutMs = 5000): Promise<BoardIdentity | null> {
  const driver = new LineDriver({ path: port, probes: {}, clock: { now: () => Date.now() }, helloTimeoutMs });
  try {
    return await driver.open();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'COBREW_ERR_BOARD_NO_HELLO' || code === 'COBREW_ERR_BOARD_PROTOCOL') return null;
    throw err;
  } finally {
    await driver.close();
  }
}

export function addBoardFlashCommand(board: Command, ctx: CliContext): void {
  board
    .command('flash')
    .description('build and write the reference firmware to a board, then check its HELLO')
    .requiredOption('--port <path>', 'serial port of the board (see cobrew board list)')
    .option('--force', 'flash even a board that does not say it is the reference board')
    .addOption(
      new Option('--bootloader <kind>', 'optiboot (Uno, Nano) at 115200 baud, or old-nano at 57600')
        .choices(Object.keys(BOOTLOADER_BAUD))
        .default('optiboot'),
    )
    .option('--avrdude <command>', 'avrdude to run', 'avrdude')
    .option('--data-dir <dir>', 'where cobrew keeps its files and its journal (env COBREW_DATA_DIR)')
    .action(
      async (opts: {
        port: string;
        force?: boolean;
        bootloader: Bootloader;
        avrdude: string;
        dataDir?: string;
      }) => {
        const record = await flashBoard(
          {
            port: opts.port,
            force: opts.force === true,
            bootloader: opts.bootloader,
            journal: join(ctx.dataDir(opts), 'journal.jsonl'),
          },
          {
            build: () => buildRelease(),
            identify: (port) => identifyBoard(port),
            avrdude: (args) => runAvrdude(opts.avrdude, args, (text) => process.stderr.write(text)),
            now: () => Date.now(),
            log: (line) => process.stderr.write(`${line}\n`),
          },
        );
        process.stdout.write(`Flashed ${record.port}: ${record.after ? identityText(record.after) : ''}\n`);
      },
    );
}
