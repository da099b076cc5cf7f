/** What a receiver makes of one request body: encoded rows per table, and how many items it refused. */
import type { TableChunk } from '../../../lib/otlp/rows/tableChunk';

export type SignalRows = { chunks: TableChunk[]; accepted: number; rejected: number; rejectReason?: string };

export type BodyEncoding = 'protobuf' | 'json' | 'jsonLines';

export type SignalDecoder = (body: Buffer, encoding: BodyEncoding) => SignalRows;
