/**
 * Just enough of ClickHouse's lexer to answer what the HTTP layer must know before the engine sees a
 * query: what kind of statement it is, its `FORMAT` clause, its `{name:Type}` placeholders, whether a
 * second statement follows, and, for an `INSERT`, where its data begins. Strings, quoted identifiers,
 * heredocs and comments are skipped whole, so nothing inside them is mistaken for a keyword.
 *
 * The text is read as Latin-1 (one character per byte), so every offset is also a byte offset into
 * the request: an INSERT's data may be binary (RowBinary) and is never decoded.
 */

export type Token =
  | { kind: 'word'; text: string; upper: string; start: number; end: number; depth: number }
  | { kind: 'quoted' | 'string' | 'number' | 'op'; text: string; start: number; end: number; depth: number }
  | { kind: 'placeholder'; name: string; type: string; start: number; end: number; depth: number };

export class SqlTextError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const wordStart = /[A-Za-z_]/;
const wordChar = /[A-Za-z0-9_$]/;
const placeholderHead = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*/y;
const heredocHead = /\$([A-Za-z0-9_]*)\$/y;

/** Tokens one at a time, so a caller can stop where an INSERT's data begins. */
export function* tokens(text: string): Generator<Token> {
  let i = 0;
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if ((c === '-' && next === '-') || (c === '#' && (next === ' ' || next === '!'))) {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      // ClickHouse nests block comments.
      const start = i;
      let level = 0;
      do {
        if (text[i] === '/' && text[i + 1] === '*') {
          level++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          level--;
          i += 2;
        } else i++;
      } while (level > 0 && i < n);
      if (level > 0) throw new SqlTextError('Unterminated multiline comment', start);
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i = skipQuoted(text, i);
      yield { kind: c === "'" ? 'string' : 'quoted', text: text.slice(start, i), start, end: i, depth };
    } else if (c === '$' && (heredocHead.lastIndex = i) === i && heredocHead.test(text)) {
      const start = i;
      const tag = text.slice(i, heredocHead.lastIndex);
      const close = text.indexOf(tag, heredocHead.lastIndex);
      if (close < 0) throw new SqlTextError('Unterminated heredoc', start);
      i = close + tag.length;
      yield { kind: 'string', text: text.slice(start, i), start, end: i, depth };
    } else if (c === '{' && (placeholderHead.lastIndex = i) === i && placeholderHead.test(text)) {
      const start = i;
      const name = /\{\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, placeholderHead.lastIndex))![1]!;
      const typeStart = placeholderHead.lastIndex;
      i = typeStart;
      let parens = 0;
      while (i < n && !(text[i] === '}' && parens === 0)) {
        if (text[i] === "'" || text[i] === '"' || text[i] === '`') i = skipQuoted(text, i);
        else {
          if (text[i] === '(') parens++;
          else if (text[i] === ')') parens--;
          i++;
        }
      }
      if (i >= n) throw new SqlTextError('Unterminated query parameter', start);
      const type = text.slice(typeStart, i).trim();
      i++;
      yield { kind: 'placeholder', name, type, start, end: i, depth };
    } else if (wordStart.test(c)) {
      const start = i;
      while (i < n && wordChar.test(text[i]!)) i++;
      const word = text.slice(start, i);
      yield { kind: 'word', text: word, upper: word.toUpperCase(), start, end: i, depth };
    } else if (c >= '0' && c <= '9') {
      const start = i;
      while (i < n && /[0-9A-Za-z_.]/.test(text[i]!)) {
        // An exponent's sign belongs to the number: 1e-5.
        if ((text[i] === 'e' || text[i] === 'E') && (text[i + 1] === '-' || text[i + 1] === '+')) i++;
        i++;
      }
      yield { kind: 'number', text: text.slice(start, i), start, end: i, depth };
    } else {
      if (c === '(' || c === '[') depth++;
      const start = i;
      i++;
      yield { kind: 'op', text: c, start, end: i, depth };
      if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    }
  }
}

/** The end of the quoted string, identifier or name starting at `start`: backslash escapes, and a doubled quote. */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  throw new SqlTextError(`Unterminated quoted ${quote === "'" ? 'string' : 'identifier'}`, start);
}

export type Analysis = {
  /** The statement's first keyword, upper-cased (`SELECT`, `INSERT`, …), after any opening parentheses. */
  keyword: string;
  /** The statement only reads: what ClickHouse allows with `readonly=1`. */
  reads: boolean;
  /** The statement is one of those that write or change state (INSERT, CREATE, SET, SYSTEM, …). */
  writes: boolean;
  /** The output format a `FORMAT` clause names, outside an INSERT. */
  format?: string;
  placeholders: Map<string, string>;
  /** `SELECT … INTO OUTFILE`: a file written on the server, never allowed here. */
  intoOutfile: boolean;
  /** An INSERT that carries data (`FORMAT x` or `VALUES` followed by rows). */
  insert?: InsertShape;
  /** Set when the INSERT reads `FROM INFILE`: a file on the server, never allowed here. */
  insertFromInfile: boolean;
  /** Where a second statement starts, if one follows a `;`. */
  secondStatementAt?: number;
};

export type InsertShape = {
  /** Where the statement starts (after leading comments). */
  start: number;
  /** Where `FROM INFILE '…'` goes: before the SETTINGS clause, or else before FORMAT / VALUES. */
  infileAt: number;
  /** Where the `FORMAT name` or `VALUES` keyword starts. */
  formatAt: number;
  /** The input format: the named one, or `Values`. */
  format: string;
  /** The first byte of the data. */
  dataStart: number;
};

const readKeywords = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXISTS', 'EXPLAIN']);
/** Every other statement ClickHouse knows; a first word in neither set is left to the engine's parser. */
const writeKeywords = new Set([
  'INSERT', 'CREATE', 'DROP', 'ALTER', 'RENAME', 'TRUNCATE', 'OPTIMIZE', 'SYSTEM', 'KILL', 'SET', 'USE', 'GRANT', 'REVOKE',
  'ATTACH', 'DETACH', 'EXCHANGE', 'UNDROP', 'DELETE', 'UPDATE', 'BACKUP', 'RESTORE', 'CHECK', 'MOVE', 'WATCH', 'BEGIN',
  'COMMIT', 'ROLLBACK', 'REPLACE', 'UNDO', 'COPY',
]);
/** Words that end an expression, so never a format's name after `FORMAT` used as an alias. */
const clauseWords = new Set(['FROM', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'SETTINGS', 'UNION', 'AS', 'JOIN', 'ON', 'INTO', 'AND', 'OR']);

/** Reads `text` (see the module's comment) up to the end of the statement, or to the start of an INSERT's data. */
export function analyze(text: string): Analysis {
  const analysis: Analysis = { keyword: '', reads: false, writes: false, placeholders: new Map(), intoOutfile: false, insertFromInfile: false };
  let previous: Token | undefined;
  let beforePrevious: Token | undefined;
  let statementStart = -1;
  let settingsAt = -1;
  let sawSelect = false;
  let ended = false;
  // Opening parentheses before the first keyword (`(SELECT 1) UNION ALL …`) don't hide it.
  let onlyParensSoFar = true;
  for (const token of tokens(text)) {
    if (ended) {
      if (!(token.kind === 'op' && token.text === ';')) {
        analysis.secondStatementAt = token.start;
        break;
      }
      continue;
    }
    if (token.kind === 'op' && token.text === ';' && token.depth === 0) {
      ended = true;
      continue;
    }
    if (token.kind === 'placeholder') analysis.placeholders.set(token.name, token.type);
    if (token.kind === 'word') {
      if (!analysis.keyword && onlyParensSoFar) {
        analysis.keyword = token.upper;
        analysis.reads = readKeywords.has(token.upper);
        analysis.writes = writeKeywords.has(token.upper);
        statementStart = token.start;
      }
      if (previous?.kind === 'word' && previous.upper === 'INTO' && token.upper === 'OUTFILE' && analysis.keyword !== 'INSERT') analysis.intoOutfile = true;
      if (analysis.keyword === 'INSERT' && token.depth === 0) {
        if (token.upper === 'SELECT' || token.upper === 'WITH') sawSelect = true;
        if (!sawSelect && previous?.kind === 'word' && previous.upper === 'FROM' && token.upper === 'INFILE') analysis.insertFromInfile = true;
        if (!sawSelect && token.upper === 'SETTINGS' && settingsAt < 0) settingsAt = token.start;
        if (!sawSelect && token.upper === 'VALUES') {
          analysis.insert = { start: statementStart, infileAt: settingsAt >= 0 ? settingsAt : token.start, formatAt: token.start, format: 'Values', dataStart: token.end };
          return analysis;
        }
        if (!sawSelect && previous?.kind === 'word' && previous.upper === 'FORMAT' && previous.depth === 0) {
          analysis.insert = {
            start: statementStart,
            infileAt: settingsAt >= 0 ? settingsAt : previous.start,
            formatAt: previous.start,
            format: token.text,
            dataStart: dataAfterFormatName(text, token.end),
          };
          return analysis;
        }
      } else if (
        token.depth === 0 &&
        previous?.kind === 'word' &&
        previous.upper === 'FORMAT' &&
        previous.depth === 0 &&
        !clauseWords.has(token.upper) &&
        !(beforePrevious?.kind === 'word' && beforePrevious.upper === 'AS') &&
        !(beforePrevious?.kind === 'op' && (beforePrevious.text === '.' || beforePrevious.text === ','))
      ) {
        analysis.format = token.text;
      }
    }
    if (!(token.kind === 'op' && token.text === '(')) onlyParensSoFar = false;
    beforePrevious = previous;
    previous = token;
  }
  return analysis;
}

/** ClickHouse's rule: the data starts after the first newline following the format's name, else after the blanks. */
function dataAfterFormatName(text: string, nameEnd: number): number {
  let i = nameEnd;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  if (text[i] === '\n') i++;
  return i;
}
