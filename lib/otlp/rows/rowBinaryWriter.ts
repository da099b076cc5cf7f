/**
 * A growable RowBinary buffer: ClickHouse's row-oriented binary input format. Rows encoded
 * separately can be concatenated, which is how batches of requests become one insert.
 */
import type { Attributes, Text } from './rowTypes';

const hexDigits = Buffer.from('0123456789abcdef');

export class RowBinaryWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  /** The encoded bytes (a view; copy before reusing the writer). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  varint(value: number): void {
    this.ensure(10);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  string(value: Text): void {
    const length = value.length;
    if (typeof value !== 'string') {
      this.varint(length);
      this.raw(value, 0, length);
      return;
    }
    if (length < 128 && this.writeAscii(value)) return;
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.varint(byteLength);
    this.ensure(byteLength);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /** A String of the bytes `source[start, end)`: a protobuf string field copied in place. */
  bytes(source: Buffer, start: number, end: number): void {
    this.varint(end - start);
    this.raw(source, start, end);
  }

  /** Bytes as they are: columns encoded beforehand, or fixed-width values off the wire. */
  raw(source: Buffer, start = 0, end = source.length): void {
    const length = end - start;
    this.ensure(length);
    // Byte loops beat the native copy call for the short strings telemetry is made of.
    if (length < 48) for (let i = start; i < end; i++) this.buf[this.pos++] = source[i]!;
    else this.pos += source.copy(this.buf, this.pos, start, end);
  }

  /** A String of the lower-case hex of `source[start, end)`: a binary id as the store keeps it. */
  hex(source: Buffer, start: number, end: number): void {
    const length = (end - start) * 2;
    this.varint(length);
    this.ensure(length);
    for (let i = start; i < end; i++) {
      const byte = source[i]!;
      this.buf[this.pos++] = hexDigits[byte >> 4]!;
      this.buf[this.pos++] = hexDigits[byte & 15]!;
    }
  }

  /** Writes a short string that is pure ASCII (ids, enum names); false, writing nothing, otherwise. */
  private writeAscii(value: string): boolean {
    const length = value.length;
    this.ensure(length + 1);
    const start = this.pos + 1;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) return false;
      this.buf[start + i] = code;
    }
    this.buf[this.pos] = length;
    this.pos = start + length;
    return true;
  }

  uint8(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value & 0xff;
  }

  bool(value: boolean): void {
    this.uint8(value ? 1 : 0);
  }

  uint32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  int32(value: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(value | 0, this.pos);
    this.pos += 4;
  }

  uint64(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), this.pos);
    this.pos += 8;
  }

  /** DateTime64(9): nanoseconds since the epoch as Int64. */
  dateTime64(nanos: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, nanos), this.pos);
    this.pos += 8;
  }

  float64(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Map(String, String) from a flat key, value… list. Later duplicates win, as in ClickHouse. */
  map(attributes: Attributes): void {
    const pairs = attributes.length >> 1;
    this.varint(pairs);
    for (let i = 0; i < attributes.length; i++) this.string(attributes[i]!);
  }

  array<T>(items: readonly T[], write: (item: T) => void): void {
    this.varint(items.length);
    for (const item of items) write(item);
  }
}
