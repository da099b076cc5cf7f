/**
 * `param_<name>` values, as chDB's own binder takes them. ClickHouse parses a parameter's text in the
 * "escaped" format of its declared type: a `String`'s backslash escapes are decoded, an `Array`'s or
 * `Map`'s quoted elements are read as written. chDB's binder (`queryBindAsync`) takes JavaScript
 * values and renders them to that text itself — escaping every top-level string again — so the text
 * the client sent is turned back into the value it stands for:
 *
 * - scalar types (`String`, `UInt64`, `DateTime64(3)`, `Identifier`, …): the text with its escapes
 *   decoded (`\N` is NULL), which chDB escapes back to what was sent;
 * - `Array`, `Map`, `Tuple`: the text as sent when it holds no backslash (escaping changes nothing
 *   then); otherwise the value parsed into arrays, `Map`s, tuples, strings and exact numbers, which
 *   chDB renders with its nested strings quoted, as the engine reads them.
 *
 * The values are bound by the engine, never spliced into the SQL text.
 */
import { ClickHouseException } from './errors';

/** chDB renders an object of this shape (matched by its class name) as a tuple literal `(a, b)`. */
class TupleParam {
  constructor(readonly values: unknown[]) {}
}

const compositeType = /^(Array|Map|Tuple|Nested)\s*\(/i;

/** Strips `Nullable(…)` and `LowCardinality(…)` to the type whose text format decides. */
function baseType(type: string): string {
  const wrapped = /^(?:Nullable|LowCardinality)\s*\((.*)\)$/is.exec(type.trim());
  return wrapped ? baseType(wrapped[1]!) : type.trim();
}

/** The values to bind, by name, for the placeholders' declared types (a parameter no placeholder names is bound as text). */
export function bindableParams(raw: ReadonlyMap<string, string>, placeholders: ReadonlyMap<string, string>): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [name, text] of raw) {
    const type = placeholders.get(name) ?? 'String';
    try {
      bound[name] = compositeType.test(baseType(type)) ? compositeValue(text) : decodeEscaped(text);
    } catch (error) {
      if (!(error instanceof ParamSyntaxError)) throw error;
      throw new ClickHouseException(457, `Value ${text} cannot be parsed as ${type} for query parameter '${name}': ${error.message}`);
    }
  }
  return bound;
}

class ParamSyntaxError extends Error {}

const simpleEscapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v', e: '\x1b' };

/** ClickHouse's escaped text: `\n`, `\t`, `\\`, `\xHH` (bytes of UTF-8), any other `\c` is `c`; `\N` alone is NULL. */
export function decodeEscaped(text: string): string | null {
  return text === '\\N' ? null : decodeEscapes(text);
}

function decodeEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  const pushText = (chunk: string) => bytes.push(...Buffer.from(chunk, 'utf8'));
  let i = 0;
  while (i < text.length) {
    const slash = text.indexOf('\\', i);
    if (slash < 0) {
      pushText(text.slice(i));
      break;
    }
    pushText(text.slice(i, slash));
    const c = text[slash + 1];
    if (c === undefined) throw new ParamSyntaxError('a backslash ends the value');
    if (c === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(slash + 2, slash + 4))) {
      bytes.push(parseInt(text.slice(slash + 2, slash + 4), 16));
      i = slash + 4;
      continue;
    }
    pushText(simpleEscapes[c] ?? c);
    i = slash + 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** An Array/Map/Tuple's text: passed as sent unless a backslash needs it parsed (see the module's comment). */
function compositeValue(text: string): unknown {
  if (!/[\\\t\n\r\0\b\f]/.test(text)) return text;
  const parser = new CompositeParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

class CompositeParser {
  private i = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.blanks();
    if (this.i < this.text.length) throw new ParamSyntaxError(`unexpected ${JSON.stringify(this.text.slice(this.i, this.i + 10))}`);
  }

  value(): unknown {
    this.blanks();
    const c = this.text[this.i];
    if (c === '[') return this.list('[', ']');
    if (c === '(') return new TupleParam(this.list('(', ')'));
    if (c === '{') return this.map();
    if (c === "'") return this.quoted();
    return this.bare();
  }

  private list(open: string, close: string): unknown[] {
    this.expect(open);
    const items: unknown[] = [];
    this.blanks();
    if (this.text[this.i] === close) {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.blanks();
      if (this.text[this.i] === close) {
        this.i++;
        return items;
      }
      this.expect(',');
    }
  }

  private map(): Map<unknown, unknown> {
    this.expect('{');
    const entries = new Map<unknown, unknown>();
    this.blanks();
    if (this.text[this.i] === '}') {
      this.i++;
      return entries;
    }
    for (;;) {
      const key = this.value();
      this.blanks();
      this.expect(':');
      entries.set(key, this.value());
      this.blanks();
      if (this.text[this.i] === '}') {
        this.i++;
        return entries;
      }
      this.expect(',');
    }
  }

  private quoted(): string {
    this.i++;
    let raw = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new ParamSyntaxError('unterminated string');
      if (c === '\\') {
        if (this.i + 1 >= this.text.length) throw new ParamSyntaxError('unterminated string');
        raw += this.text.slice(this.i, this.i + 2);
        this.i += 2;
      } else if (c === "'") {
        if (this.text[this.i + 1] === "'") {
          raw += "\\'";
          this.i += 2;
        } else {
          this.i++;
          break;
        }
      } else {
        raw += c;
        this.i++;
      }
    }
    return decodeEscapes(raw);
  }

  private bare(): unknown {
    const start = this.i;
    while (this.i < this.text.length && !/[\s,\])}:]/.test(this.text[this.i]!)) this.i++;
    const word = this.text.slice(start, this.i);
    if (word === '') throw new ParamSyntaxError(`expected a value at ${JSON.stringify(this.text.slice(start, start + 10))}`);
    if (/^null$/i.test(word)) return null;
    if (/^(true|false)$/i.test(word)) return word.toLowerCase() === 'true';
    if (/^[+-]?\d+$/.test(word)) return BigInt(word);
    const number = Number(word);
    // chDB renders a JavaScript number with String(); only a number that survives that is exact.
    if (Number.isFinite(number) && String(number) === word.replace(/^\+/, '')) return number;
    throw new ParamSyntaxError(`${word} can't be passed to the embedded engine exactly inside a value holding backslashes`);
  }

  private blanks(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private expect(c: string): void {
    if (this.text[this.i] !== c) throw new ParamSyntaxError(`expected '${c}' at ${JSON.stringify(this.text.slice(this.i, this.i + 10))}`);
    this.i++;
  }
}
