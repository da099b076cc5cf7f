/**
 * A minimal protobuf wire-format reader. OTLP is decoded straight into rows with it, without
 * building an intermediate message object graph. Every read is bounds-checked, so a truncated
 * or corrupt body fails with an `OtlpDecodeError` instead of reading garbage.
 */
import { OtlpDecodeError } from './decodeError';

export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field tag; returns the field number, leaving the wire type in `wireType`. */
  wireType = 0;
  tag(): number {
    const tag = this.uint32();
    this.wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 0) throw new OtlpDecodeError(`invalid protobuf field number 0 at byte ${this.pos}`);
    return field;
  }

  /** A varint that fits in 32 bits (lengths, enums, counts); wider ones are truncated like protobuf does. */
  uint32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw this.truncated();
      const byte = this.buf[this.pos++]!;
      if (shift < 32) result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift >= 70) throw new OtlpDecodeError(`varint too long at byte ${this.pos}`);
    }
  }

  /** A full 64-bit varint, as an unsigned bigint. */
  uint64(): bigint {
    let low = 0;
    let high = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw this.truncated();
      const byte = this.buf[this.pos++]!;
      if (shift < 28) low |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >> 4;
      } else high |= (byte & 0x7f) << (shift - 32);
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift >= 70) throw new OtlpDecodeError(`varint too long at byte ${this.pos}`);
    }
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.uint64());
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  fixed64(): bigint {
    this.need(8);
    const value = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  sfixed64(): bigint {
    this.need(8);
    const value = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    this.need(4);
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Moves past a length-delimited field and returns where its bytes start; they end at `pos`. */
  skipBytes(): number {
    const length = this.uint32();
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return start;
  }

  /** A length-delimited field's bytes, as a view into the body (no copy). */
  bytes(): Buffer {
    const start = this.skipBytes();
    return this.buf.subarray(start, this.pos);
  }

  string(): string {
    const start = this.skipBytes();
    return this.buf.toString('utf8', start, this.pos);
  }

  /** A reader over an embedded message; this reader moves past it. */
  message(): ProtoReader {
    const start = this.skipBytes();
    return new ProtoReader(this.buf, start, this.pos);
  }

  /** Packed or unpacked repeated fixed64 values. */
  repeatedFixed64(into: bigint[]): void {
    if (this.wireType === WireType.fixed64) {
      into.push(this.fixed64());
      return;
    }
    const inner = this.message();
    while (!inner.done) into.push(inner.fixed64());
  }

  /** Packed or unpacked repeated doubles. */
  repeatedDouble(into: number[]): void {
    if (this.wireType === WireType.fixed64) {
      into.push(this.double());
      return;
    }
    const inner = this.message();
    while (!inner.done) into.push(inner.double());
  }

  /** Packed or unpacked repeated uint64 varints. */
  repeatedUint64(into: bigint[]): void {
    if (this.wireType === WireType.varint) {
      into.push(this.uint64());
      return;
    }
    const inner = this.message();
    while (!inner.done) into.push(inner.uint64());
  }

  /** Checks that the field just tagged has the wire type the schema says. */
  expect(wireType: number, field: string): void {
    if (this.wireType !== wireType) {
      throw new OtlpDecodeError(`field ${field} has wire type ${this.wireType}, expected ${wireType}`);
    }
  }

  skip(): void {
    switch (this.wireType) {
      case WireType.varint:
        this.uint64();
        return;
      case WireType.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.bytes:
        this.skipBytes();
        return;
      case WireType.fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(`unsupported protobuf wire type ${this.wireType} at byte ${this.pos}`);
    }
  }

  private need(length: number): void {
    if (this.pos + length > this.end) throw this.truncated();
  }

  private truncated(): OtlpDecodeError {
    return new OtlpDecodeError(`truncated protobuf message: needed bytes past offset ${this.end}`);
  }
}
