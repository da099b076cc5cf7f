/**
 * Errors as ClickHouse's HTTP interface sends them: the body `Code: N. DB::Exception: <message>.
 * (NAME) (version V)`, the `X-ClickHouse-Exception-Code` header, and the HTTP status ClickHouse maps
 * the code to (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp: 401/403 for authentication, 400 for
 * what can't be parsed, 404 for what doesn't exist, 408 for a timeout, 500 for the rest). The engine's
 * own exceptions pass through with their text; the HTTP layer raises the ones only it can.
 */

/** The codes this layer raises or maps, by ClickHouse's names (src/Common/ErrorCodes.cpp). */
const names: Record<number, string> = {
  6: 'CANNOT_PARSE_TEXT',
  8: 'THERE_IS_NO_COLUMN',
  15: 'DUPLICATE_COLUMN',
  25: 'CANNOT_PARSE_ESCAPE_SEQUENCE',
  26: 'CANNOT_PARSE_QUOTED_STRING',
  27: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  36: 'BAD_ARGUMENTS',
  37: 'UNKNOWN_ELEMENT_IN_AST',
  38: 'CANNOT_PARSE_DATE',
  41: 'CANNOT_PARSE_DATETIME',
  44: 'ILLEGAL_COLUMN',
  46: 'UNKNOWN_FUNCTION',
  47: 'UNKNOWN_IDENTIFIER',
  48: 'NOT_IMPLEMENTED',
  50: 'UNKNOWN_TYPE',
  53: 'TYPE_MISMATCH',
  56: 'UNKNOWN_STORAGE',
  60: 'UNKNOWN_TABLE',
  62: 'SYNTAX_ERROR',
  63: 'UNKNOWN_AGGREGATE_FUNCTION',
  72: 'CANNOT_PARSE_NUMBER',
  73: 'UNKNOWN_FORMAT',
  76: 'CANNOT_OPEN_FILE',
  78: 'UNKNOWN_TYPE_OF_QUERY',
  81: 'UNKNOWN_DATABASE',
  89: 'UNKNOWN_COMPRESSION_METHOD',
  115: 'UNKNOWN_SETTING',
  117: 'INCORRECT_DATA',
  123: 'UNKNOWN_TYPE_OF_AST_NODE',
  152: 'UNKNOWN_DIRECTION_OF_SORTING',
  159: 'TIMEOUT_EXCEEDED',
  164: 'READONLY',
  167: 'TOO_DEEP_AST',
  168: 'TOO_BIG_AST',
  192: 'UNKNOWN_USER',
  193: 'WRONG_PASSWORD',
  194: 'REQUIRED_PASSWORD',
  202: 'TOO_MANY_SIMULTANEOUS_QUERIES',
  209: 'SOCKET_TIMEOUT',
  223: 'UNEXPECTED_AST_STRUCTURE',
  229: 'QUERY_IS_TOO_LARGE',
  241: 'MEMORY_LIMIT_EXCEEDED',
  271: 'CANNOT_DECOMPRESS',
  321: 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  336: 'UNKNOWN_DATABASE_ENGINE',
  376: 'CANNOT_PARSE_UUID',
  381: 'HTTP_LENGTH_REQUIRED',
  396: 'TOO_MANY_ROWS_OR_BYTES',
  427: 'CANNOT_COMPILE_REGEXP',
  439: 'CANNOT_SCHEDULE_TASK',
  441: 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
  456: 'UNKNOWN_QUERY_PARAMETER',
  457: 'BAD_QUERY_PARAMETER',
  497: 'ACCESS_DENIED',
  511: 'UNKNOWN_ROLE',
  512: 'SET_NON_GRANTED_ROLE',
  516: 'AUTHENTICATION_FAILED',
  675: 'CANNOT_PARSE_IPV4',
  676: 'CANNOT_PARSE_IPV6',
  779: 'UNSUPPORTED_MEDIA_TYPE',
  1002: 'UNKNOWN_EXCEPTION',
};

const statusGroups: [number, number[]][] = [
  [401, [194]],
  [403, [192, 193, 516, 512, 497]],
  [400, [36, 427, 6, 25, 26, 38, 41, 72, 441, 675, 676, 27, 376, 15, 44, 37, 123, 8, 167, 168, 223, 62, 117, 53, 321]],
  [404, [60, 46, 47, 50, 56, 81, 115, 152, 63, 73, 336, 78, 511]],
  [413, [229]],
  [501, [48]],
  [503, [209, 76, 439]],
  [411, [381]],
  [408, [159]],
  [415, [779]],
];
const statusByCode = new Map(statusGroups.flatMap(([status, codes]) => codes.map((code) => [code, status] as const)));

export function httpStatusOf(code: number): number {
  return statusByCode.get(code) ?? 500;
}

/** An exception with ClickHouse's code, raised by the HTTP layer (the engine's come as text, see `fromEngine`). */
export class ClickHouseException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** The body line, in ClickHouse's words. */
  render(version: string): string {
    const name = names[this.code] ?? 'UNKNOWN_EXCEPTION';
    const text = this.message.endsWith('.') ? this.message : `${this.message}.`;
    return `Code: ${this.code}. DB::Exception: ${text} (${name}) (version ${version})\n`;
  }
}

/** An exception the engine raised, its text kept as the engine wrote it. */
export class EngineException extends ClickHouseException {
  override render(version: string): string {
    return `${this.message}${this.message.includes('(version ') ? '' : ` (version ${version})`}\n`;
  }
}

/** The engine's `Code: N. DB::Exception: …` text as an exception with its code; anything else is UNKNOWN_EXCEPTION. */
export function fromEngine(error: unknown): ClickHouseException {
  if (error instanceof ClickHouseException) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = /^Code: (\d+)\. /.exec(message);
  if (code) return new EngineException(Number(code[1]), message.trimEnd());
  return new ClickHouseException(1002, message);
}

export const readonlyRefusal = (user: string) => new ClickHouseException(164, `${user}: Cannot execute query in readonly mode`);

export const getImpliesReadonly = () =>
  new ClickHouseException(
    164,
    'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries',
  );

export const authenticationFailed = (user: string) =>
  new ClickHouseException(516, `${user}: Authentication failed: password is incorrect, or there is no user with such name.`);
