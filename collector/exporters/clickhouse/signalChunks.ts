/** What the exporters hand the batch processor for one request: encoded rows per table. */
import type { TableChunk } from '../../processors/batch';

export type SignalChunks = { chunks: TableChunk[]; accepted: number; rejected: number; rejectReason?: string };

export type BodyEncoding = 'protobuf' | 'json' | 'jsonLines';

export type SignalExporter = (body: Buffer, encoding: BodyEncoding) => SignalChunks;
