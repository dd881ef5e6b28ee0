// Types for mock-firmata 0.2 (a firmata.js stand-in built on board-io), as far as the tests use it.
declare module 'mock-firmata' {
  import type { EventEmitter } from 'node:events';

  interface MockPin {
    supportedModes: number[];
    mode: number;
    value: number;
    report: number;
    analogChannel: number;
  }

  class MockFirmata extends EventEmitter {
    /** Every option is copied onto the board, e.g. `firmware`. */
    constructor(opts?: { pins?: MockPin[]; [key: string]: unknown });
    readonly isReady: boolean;
    readonly pins: MockPin[];
    readonly MODES: { INPUT: number; OUTPUT: number; ONEWIRE: number };
    firmware: { name?: string; version?: { major: number; minor: number } };
    pinMode(pin: number, mode: number): void;
    digitalWrite(pin: number, value: number): void;
    sendOneWireConfig(pin: number, enableParasiticPower: boolean): void;
    sendOneWireSearch(pin: number, callback: (error: Error | null, devices?: number[][]) => void): void;
    sendOneWireReset(pin: number): void;
    sendOneWireWrite(pin: number, device: number[], data: number | number[]): void;
    sendOneWireWriteAndRead(
      pin: number,
      device: number[],
      data: number | number[],
      numBytesToRead: number,
      callback: (error: Error | null, data?: number[]) => void,
    ): void;
  }

  const mock: { Firmata: typeof MockFirmata };
  export default mock;
}
