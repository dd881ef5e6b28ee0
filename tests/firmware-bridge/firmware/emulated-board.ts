// The reference firmware running in simavr (firmware-bridge/firmware/sim/cobrew-sim.c): builds it, starts
// it on a pseudo-terminal, and records what the board sent and which pins it drove, in emulated time.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeLine, type Frame } from '../../../firmware-bridge/drivers/line/codec.js';

export const FIRMWARE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../firmware-bridge/firmware',
);
export const FIRMWARE_VERSION = readFileSync(join(FIRMWARE_DIR, 'VERSION'), 'utf8').trim();
const SIM = join(FIRMWARE_DIR, 'build/sim/cobrew-sim');
export const TEST_ELF = join(FIRMWARE_DIR, 'build/test/cobrew-ref.elf');
export const RELEASE_ELF = join(FIRMWARE_DIR, 'build/release/cobrew-ref.elf');

/**
 * Builds with build.sh (make: nothing to do when up to date). A missing toolchain fails the test with
 * build.sh's message, which names the Debian packages: these tests never skip silently.
 */
export function buildFirmware(...targets: Array<'release' | 'test' | 'sim'>): string {
  try {
    return execFileSync(join(FIRMWARE_DIR, 'build.sh'), targets, { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `The firmware tests need the AVR toolchain and simavr: install the Debian packages listed in .ci/run ` +
        `(APT_PACKAGES), e.g. by running .ci/run once.\n${e.stderr ?? e.message}`,
    );
  }
}

export type SimEvent =
  | { kind: 'tx'; us: number; line: string; frame: Frame | null }
  /** A line the board sent that the harness kept from the host (`mute`). */
  | { kind: 'lost'; us: number; line: string }
  | { kind: 'pin'; us: number; pin: 'heat' | 'cool' | 'led'; on: boolean }
  | { kind: 'reset'; us: number };

export interface Waiter<T> {
  what: string;
  match: (e: SimEvent) => T | undefined;
  resolve: (value: T) => void;
}

export class EmulatedBoard {
  readonly events: SimEvent[] = [];
  readonly pins = { heat: false, cool: false, led: false };
  #waiters = new Set<Waiter<unknown>>();
  #timeQueries: Array<(us: number) => void> = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly pty: string,
    lines: AsyncIterator<string>,
  ) {
    void this.#read(lines);
  }

  /** Starts the emulator; `speed` is emulated seconds per wall second, 0 for as fast as possible. */
  static async start(options: { elf?: string; speed: number }): Promise<EmulatedBoard> {
    const child = spawn(SIM, [options.elf ?? TEST_ELF, '--speed', String(options.speed)], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new Error(`cobrew-sim ended before giving its pty: ${stderr}`);
      if (next.value.startsWith('PTY ')) return new EmulatedBoard(child, next.value.slice(4), lines);
    }
  }

  async #read(lines: AsyncIterator<string>): Promise<void> {
    for (;;) {
      const next = await lines.next();
      if (next.done) return;
      const [word, a = '', b = '', c = ''] = next.value.split(' ');
      let event: SimEvent | null = null;
      if (word === 'TX') {
        const line = next.value.slice(4 + a.length);
        const decoded = decodeLine(line);
        event = { kind: 'tx', us: Number(a), line, frame: decoded.kind === 'frame' ? decoded.frame : null };
      } else if (word === 'LOST') {
        event = { kind: 'lost', us: Number(a), line: next.value.slice(6 + a.length) };
      } else if (word === 'PIN') {
        const pin = a as 'heat' | 'cool' | 'led';
        this.pins[pin] = b === '1';
        event = { kind: 'pin', us: Number(c), pin, on: b === '1' };
      } else if (word === 'RESET') {
        event = { kind: 'reset', us: Number(a) };
      } else if (word === 'TIME') {
        this.#timeQueries.shift()?.(Number(a));
      }
      if (event === null) continue;
      this.events.push(event);
      for (const w of this.#waiters) {
        const value = w.match(event);
        if (value !== undefined) {
          this.#waiters.delete(w);
          w.resolve(value);
        }
      }
    }
  }

  /** A command to the emulator (see cobrew-sim.c): speed, sensor, badcrc, unplug, reset, mute. */
  command(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }

  /** The emulated time now, in microseconds. */
  now(): Promise<number> {
    return new Promise((res) => {
      this.#timeQueries.push(res);
      this.command('time');
    });
  }

  /**
   * The first event from index `from` (default: any recorded so far or to come) that `match` maps to a
   * value; fails after `timeoutMs` of wall time.
   */
  waitFor<T>(what: string, match: (e: SimEvent) => T | undefined, timeoutMs = 15_000, from = 0): Promise<T> {
    for (const e of this.events.slice(from)) {
      const value = match(e);
      if (value !== undefined) return Promise.resolve(value);
    }
    return new Promise<T>((res, rej) => {
      const waiter: Waiter<T> = {
        what,
        match,
        resolve: (v) => {
          clearTimeout(timer);
          res(v);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter as Waiter<unknown>);
        rej(new Error(`timed out waiting for ${what}; last events:\n${this.#tail()}`));
      }, timeoutMs);
      this.#waiters.add(waiter as Waiter<unknown>);
    });
  }

  /** The first frame of `type` sent by the board (from event index `from`), with its emulated time. */
  frame(type: string, from = 0, accept: (f: Frame) => boolean = () => true, timeoutMs?: number) {
    return this.waitFor(
      `board frame ${type}`,
      (e) =>
        e.kind === 'tx' && e.frame?.type === type && accept(e.frame)
          ? { frame: e.frame, us: e.us, index: this.events.indexOf(e) }
          : undefined,
      timeoutMs,
      from,
    );
  }

  /** The first change of `pin` to `on` (from event index `from`), in emulated µs. */
  pinChange(pin: 'heat' | 'cool' | 'led', on: boolean, from = 0, timeoutMs?: number): Promise<number> {
    return this.waitFor(
      `${pin} ${on ? 'on' : 'off'}`,
      (e) => (e.kind === 'pin' && e.pin === pin && e.on === on ? e.us : undefined),
      timeoutMs,
      from,
    );
  }

  #tail(): string {
    return this.events
      .slice(-12)
      .map((e) => JSON.stringify(e))
      .join('\n');
  }

  /** Ends the emulator (the one this object started, by its PID). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((res) => this.child.once('exit', res));
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    await exited;
  }
}
