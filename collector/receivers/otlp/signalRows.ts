/** What a receiver makes of one request body: encoded rows per table, and the items it refused. */
import type { Refused, TimeWindow } from '../../../lib/otlp/decode/timeWindow';
import type { TableChunk } from '../../../lib/otlp/rows/tableChunk';

export type SignalRows = { chunks: TableChunk[]; accepted: number; refused: Refused };

export type BodyEncoding = 'protobuf' | 'json' | 'jsonLines';

/** `window` holds the times kept; an item outside it is refused (lib/otlp/decode/timeWindow.ts). */
export type SignalDecoder = (body: Buffer, encoding: BodyEncoding, window: TimeWindow) => SignalRows;
