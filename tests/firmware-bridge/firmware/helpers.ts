// Starting an emulated board with a line client on its pty, stopped after each test.
import { afterEach, beforeAll, expect } from 'vitest';
import { buildFirmware, EmulatedBoard, TEST_ELF } from './emulated-board.js';
import { LineClient } from './line-client.js';

export interface Bench {
  board: EmulatedBoard;
  host: LineClient;
}

/** Builds the test firmware and the harness once per file; `start()` gives a fresh board and host. */
export function useBench() {
  const started: Bench[] = [];
  beforeAll(() => {
    buildFirmware('test', 'sim');
  });
  afterEach(async () => {
    for (const b of started.splice(0)) {
      await b.host.close();
      await b.board.stop();
    }
  });
  return async (options: { speed: number; elf?: string }): Promise<Bench> => {
    const board = await EmulatedBoard.start({ speed: options.speed, elf: options.elf ?? TEST_ELF });
    const host = await LineClient.open(board.pty);
    const bench = { board, host };
    started.push(bench);
    // The boot HELLO: the board is running and the pty is open.
    await board.frame('HELLO');
    return bench;
  };
}

/** A DS18B20 ROM code (family 0x28) with its CRC, from its 6-byte serial. */
export function romOf(serialHex: string): string {
  const bytes = [0x28, ...(serialHex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))];
  let crc = 0;
  for (const b of bytes) {
    let x = b;
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ x) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      x >>= 1;
    }
  }
  return [...bytes, crc].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Heat and cool were never driven at the same moment, through every pin change recorded. */
export function neverBoth(board: EmulatedBoard): void {
  const level = { heat: false, cool: false };
  for (const e of board.events) {
    if (e.kind !== 'pin' || e.pin === 'led') continue;
    level[e.pin] = e.on;
    expect(level.heat && level.cool, `both on at ${e.us} µs`).toBe(false);
  }
}

/** The test build's compressor protection (Makefile TEST_TIMES), in emulated µs. */
export const TEST_MIN_OFF_COOL_US = 5_000_000;
export const TEST_MIN_ON_COOL_US = 2_000_000;
export const TEST_DEAD_US = 3_000_000;

/** Waits until the emulated clock is `us` past `sinceUs` (e.g. the board's boot, or an output going off). */
export async function emulatedPast(board: EmulatedBoard, sinceUs: number, us: number): Promise<void> {
  for (;;) {
    if ((await board.now()) >= sinceUs + us + 2_000) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
