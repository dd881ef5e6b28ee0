// cobrew line protocol v1 framing (docs/board-protocol.md §1–2): pure, shared by the host driver and the
// test board emulator. A line is either a comment, a frame, or dropped with a reason; never half a frame.
import createError from '@fastify/error';

/** Longest line before its `\n` (a `\r` included): 96 bytes with the newline. */
export const MAX_LINE_BYTES = 95;
export const MAX_FIELD_BYTES = 24;

export interface Frame {
  seq: number;
  type: string;
  fields: string[];
}

export type DropReason = 'oversize' | 'bad-char' | 'syntax' | 'crc';

export type Decoded =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'comment'; text: string }
  | { kind: 'dropped'; reason: DropReason; detail: string };

export const FrameEncodeError = createError<'COBREW_ERR_LINE_FRAME', [string]>(
  'COBREW_ERR_LINE_FRAME',
  'Cannot encode a cobrew line frame: %s. This is a bug in the sender; report it with the message.',
);

/** CRC-8/MAXIM (Dallas OneWire): poly 0x31 reflected (0x8C), init 0, no final XOR. */
export function crc8(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    let b = text.charCodeAt(i) & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      const mix = (crc ^ b) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      b >>= 1;
    }
  }
  return crc;
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

const TYPE = /^[A-Z]{1,8}\??$/;
// Printable ASCII without space and the three framing characters.
const FIELD = /^[!-#%-)+\--~]+$/;
const FRAME = /^\$(0|[1-9][0-9]{0,2}),([A-Z]{1,8}\??)((?:,[!-#%-)+\--~]+)*)\*([0-9A-F]{2})$/;
const PRINTABLE = /^[ -~]*$/;

/** One frame as it goes on the wire, `\n` included. Throws COBREW_ERR_LINE_FRAME on anything the grammar forbids. */
export function encodeFrame(seq: number, type: string, fields: readonly (string | number)[] = []): string {
  if (!Number.isInteger(seq) || seq < 0 || seq > 255)
    throw new FrameEncodeError(`sequence ${seq} is not 0..255`);
  if (!TYPE.test(type)) throw new FrameEncodeError(`type ${JSON.stringify(type)} is not 1-8 capitals`);
  const texts = fields.map(String);
  for (const f of texts) {
    if (f.length > MAX_FIELD_BYTES || !FIELD.test(f)) {
      throw new FrameEncodeError(
        `field ${JSON.stringify(f)} is empty, too long or has a forbidden character`,
      );
    }
  }
  const body = [String(seq), type, ...texts].join(',');
  const line = `$${body}*${hex2(crc8(body))}`;
  if (line.length > MAX_LINE_BYTES)
    throw new FrameEncodeError(`frame of ${line.length} bytes exceeds ${MAX_LINE_BYTES}`);
  return `${line}\n`;
}

/** Decodes one received line, given without its `\n` (a trailing `\r` is allowed). */
export function decodeLine(raw: string): Decoded {
  if (raw.length > MAX_LINE_BYTES) {
    return {
      kind: 'dropped',
      reason: 'oversize',
      detail: `${raw.length + 1} bytes with the newline, limit 96`,
    };
  }
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!PRINTABLE.test(line)) return { kind: 'dropped', reason: 'bad-char', detail: 'byte outside 0x20-0x7E' };
  if (line.startsWith('#')) return { kind: 'comment', text: line.slice(1).trim() };
  const m = FRAME.exec(line);
  if (m === null) return { kind: 'dropped', reason: 'syntax', detail: `not a frame: ${line.slice(0, 40)}` };
  const [, seqText = '', type = '', fieldText = '', crcText = ''] = m;
  const seq = Number(seqText);
  if (seq > 255) return { kind: 'dropped', reason: 'syntax', detail: `sequence ${seq} above 255` };
  const fields = fieldText === '' ? [] : fieldText.slice(1).split(',');
  if (fields.some((f) => f.length > MAX_FIELD_BYTES)) {
    return { kind: 'dropped', reason: 'syntax', detail: `a field is longer than ${MAX_FIELD_BYTES} bytes` };
  }
  const body = line.slice(1, line.length - 3);
  const want = hex2(crc8(body));
  if (want !== crcText) return { kind: 'dropped', reason: 'crc', detail: `CRC ${crcText}, computed ${want}` };
  return { kind: 'frame', frame: { seq, type, fields } };
}

/** Numbers the frames one side sends: 0 first, wrapping after 255. */
export class SeqCounter {
  #next = 0;
  next(): number {
    const s = this.#next;
    this.#next = (s + 1) & 0xff;
    return s;
  }
  reset(): void {
    this.#next = 0;
  }
}

/**
 * How many of the peer's frames went missing between the last sequence number seen and this one. A jump
 * backwards (a repeat, or a board that reset and counts from 0 again) is not a loss.
 */
export function framesLost(previous: number | null, seq: number): number {
  if (previous === null) return 0;
  const gap = (seq - previous - 1) & 0xff;
  return gap < 128 ? gap : 0;
}
