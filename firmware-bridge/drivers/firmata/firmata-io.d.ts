// Types for firmata-io 2.x (plain JavaScript, no types of its own): only what cobrew uses.
declare module 'firmata-io' {
  import type { EventEmitter } from 'node:events';

  namespace bindTransport {
    interface Pin {
      supportedModes: number[];
      mode?: number;
      value: number;
      analogChannel: number;
    }

    interface Options {
      /** Ask for REPORT_VERSION after this long when the board did not send it at boot (ms). */
      reportVersionTimeout?: number;
      skipCapabilities?: boolean;
    }

    type Callback<T> = (error: Error | null, value?: T) => void;

    class Firmata extends EventEmitter {
      /** An already opened transport: a serialport 13 port here. */
      constructor(transport: object, options?: Options);
      readonly MODES: { INPUT: number; OUTPUT: number; ONEWIRE: number; PULLUP: number };
      readonly HIGH: 1;
      readonly LOW: 0;
      isReady: boolean;
      versionReceived: boolean;
      /** Firmata protocol version from REPORT_VERSION. */
      version: { major?: number; minor?: number };
      /** Sketch name and version from REPORT_FIRMWARE, e.g. ConfigurableFirmata.ino 2.10. */
      firmware: { name?: string; version?: { major: number; minor: number } };
      pins: Pin[];
      reportVersionTimeoutId?: ReturnType<typeof setTimeout>;
      pinMode(pin: number, mode: number): void;
      digitalWrite(pin: number, value: number): void;
      sendOneWireConfig(pin: number, enableParasiticPower: boolean): void;
      sendOneWireSearch(pin: number, callback: Callback<number[][]>): void;
      sendOneWireReset(pin: number): void;
      sendOneWireWrite(pin: number, device: number[], data: number | number[]): void;
      sendOneWireWriteAndRead(
        pin: number,
        device: number[],
        data: number | number[],
        numBytesToRead: number,
        callback: Callback<number[]>,
      ): void;
    }
  }

  /** Binds a default transport class; cobrew always passes an open port instead. */
  function bindTransport(transport: unknown): typeof bindTransport.Firmata;
  export = bindTransport;
}
