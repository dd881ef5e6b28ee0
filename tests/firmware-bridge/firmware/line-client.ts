// A minimal host for the firmware tests: frames written to the emulated board's pty with serialport 13,
// the board's frames read back from it with the line protocol's codec. cobrew's line driver is tested
// against the firmware separately (fermenter-on-firmware.test.ts); this one can also send what no driver
// would (bad CRCs, oversize lines, test-build commands).
import { ReadlineParser } from 'serialport';
import {
  decodeLine,
  encodeFrame,
  type Frame,
  SeqCounter,
} from '../../../firmware-bridge/drivers/line/codec.js';
import { closeLink, openSerialPort, type SerialLink } from '../../../firmware-bridge/drivers/serial/open.js';

export class LineClient {
  readonly received: Frame[] = [];
  readonly #seq = new SeqCounter();
  #listeners = new Set<() => void>();

  private constructor(private readonly link: SerialLink) {
    const lines = link.pipe(new ReadlineParser({ delimiter: '\n' }));
    lines.on('data', (line: string) => {
      const d = decodeLine(line);
      if (d.kind !== 'frame') return;
      this.received.push(d.frame);
      for (const l of this.#listeners) l();
    });
  }

  static async open(path: string): Promise<LineClient> {
    return new LineClient(await openSerialPort(path, 57600));
  }

  /** Sends a command frame; returns its sequence number. */
  send(type: string, fields: Array<string | number> = []): number {
    const seq = this.#seq.next();
    this.raw(encodeFrame(seq, type, fields));
    return seq;
  }

  /** Writes bytes as they are, valid or not. */
  raw(text: string): void {
    this.link.write(text);
  }

  /** The board's ACK or NAK to the command with this sequence number, as read from the pty. */
  answer(seq: number, timeoutMs = 10_000): Promise<Frame> {
    return this.next(
      (f) => (f.type === 'ACK' || f.type === 'NAK') && f.fields[0] === String(seq),
      `answer to host seq ${seq}`,
      timeoutMs,
    );
  }

  /** The first received frame (recorded or to come) that matches. */
  next(match: (f: Frame) => boolean, what: string, timeoutMs = 10_000): Promise<Frame> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((res, rej) => {
      const check = () => {
        const f = this.received.find(match);
        if (f === undefined) return;
        this.#listeners.delete(check);
        clearTimeout(timer);
        res(f);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        rej(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  close(): Promise<void> {
    return closeLink(this.link);
  }
}
