/** Trace and span ids: 16 and 8 bytes on the wire, lower-case hex in the store. */

export const traceIdBytes = 16;
export const spanIdBytes = 8;

const hexPattern = /^[0-9a-fA-F]*$/;

/** Hex text of a binary id, or undefined when it has the wrong length. Empty stays empty. */
export function idFromBytes(bytes: Buffer, length: number): string | undefined {
  if (bytes.length === 0) return '';
  if (bytes.length !== length) return undefined;
  return bytes.toString('hex');
}

/** Lower-case hex of an OTLP/JSON id (any case), or undefined when it is not `length` bytes of hex. */
export function idFromHex(text: unknown, length: number): string | undefined {
  if (text === undefined || text === null || text === '') return '';
  if (typeof text !== 'string' || text.length !== length * 2 || !hexPattern.test(text)) return undefined;
  return text.toLowerCase();
}

export function isAllZero(id: string): boolean {
  return /^0*$/.test(id);
}
