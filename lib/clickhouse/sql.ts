/**
 * The `sql` tagged template: every interpolated value becomes a ClickHouse `{pN:Type}` query
 * parameter, so user input never enters the SQL text. Raw text needs the loudly named
 * `unsafeRaw()`, meant for identifiers taken from allow-lists.
 */

export type SqlQuery = { query: string; query_params: Record<string, unknown> };

class RawSql {
  constructor(readonly text: string) {}
}

class TypedParam {
  constructor(
    readonly value: unknown,
    readonly type: string,
  ) {}
}

class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** Inserts text into the SQL as it is. Only for identifiers from an allow-list, never user input. */
export function unsafeRaw(text: string): RawSql {
  return new RawSql(text);
}

/** A value with an explicit ClickHouse type, e.g. `param(ns, 'UInt64')`. */
export function param(value: unknown, type: string): TypedParam {
  return new TypedParam(value, type);
}

/** Joins fragments (or values) with a separator, e.g. a list of WHERE conditions with ' AND '. */
export function join(parts: readonly unknown[], separator: string): SqlFragment {
  const strings = ['', ...parts.slice(1).map(() => separator), ''];
  return new SqlFragment(parts.length === 0 ? [''] : strings, parts);
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  return new SqlFragment(strings, values);
}

export type { SqlFragment };

/** Renders a fragment into query text and its parameters. */
export function render(fragment: SqlFragment): SqlQuery {
  const params: Record<string, unknown> = {};
  let counter = 0;
  const walk = (node: SqlFragment): string => {
    let text = node.strings[0] ?? '';
    node.values.forEach((value, i) => {
      text += renderValue(value) + (node.strings[i + 1] ?? '');
    });
    return text;
  };
  const renderValue = (value: unknown): string => {
    if (value instanceof SqlFragment) return walk(value);
    if (value instanceof RawSql) return value.text;
    const name = `p${counter++}`;
    if (value instanceof TypedParam) {
      params[name] = value.value;
      return `{${name}:${value.type}}`;
    }
    params[name] = value;
    return `{${name}:${inferType(value)}}`;
  };
  const query = walk(fragment);
  return { query, query_params: params };
}

function inferType(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'bigint') return 'Int64';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`sql: cannot bind the non-finite number ${value}`);
    return Number.isInteger(value) ? 'Int64' : 'Float64';
  }
  if (value instanceof Date) return 'DateTime64(9)';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return 'Array(String)';
  throw new TypeError(`sql: cannot infer a ClickHouse type for ${JSON.stringify(value)}; use param(value, type)`);
}
