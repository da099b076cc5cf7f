import { describe, expect, it } from 'vitest';
import { ClickHouseException } from './errors';
import { bindableParams, decodeEscaped } from './queryParams';

const bind = (text: string, type: string) => bindableParams(new Map([['p', text]]), new Map([['p', type]])).p;

describe('query parameters for chDB', () => {
  it('decodes a scalar from ClickHouse escaped text: chDB escapes it back as sent', () => {
    expect(decodeEscaped('plain')).toBe('plain');
    expect(decodeEscaped('a\\tb\\nc\\\\d\\\'e')).toBe("a\tb\nc\\d'e");
    expect(decodeEscaped('\\xD0\\xB0 \\x41')).toBe('а A');
    expect(decodeEscaped('\\N')).toBeNull();
    expect(bind('18446744073709551615', 'UInt64')).toBe('18446744073709551615');
    expect(bind('\\N', 'Nullable(String)')).toBeNull();
    expect(bind('x\\ty', 'LowCardinality(Nullable(String))')).toBe('x\ty');
  });

  it('passes an Array, Map or Tuple without backslashes as sent, and parses one with them into values', () => {
    expect(bind("['a','b']", 'Array(String)')).toBe("['a','b']");
    expect(bind("{'k':1}", 'Map(String, UInt8)')).toBe("{'k':1}");
    expect(bind("['it\\'s','b\\\\c',NULL]", 'Array(Nullable(String))')).toEqual(["it's", 'b\\c', null]);
    expect(bind("{'k\\'':[1,2]}", 'Map(String, Array(UInt64))')).toEqual(new Map([["k'", [1n, 2n]]]));
    const tuple = bind("('x\\\\y', 5, TRUE, 0.5)", 'Tuple(String, Int32, Bool, Float64)') as { constructor: { name: string }; values: unknown[] };
    expect(tuple.constructor.name).toBe('TupleParam');
    expect(tuple.values).toEqual(['x\\y', 5n, true, 0.5]);
  });

  it("refuses, as BAD_QUERY_PARAMETER, what can't be parsed or passed exactly", () => {
    const cases: [string, string][] = [
      ["['a\\'", 'Array(String)'],
      ["[1.00000000000000000001, 'a\\\\']", 'Tuple(Float64, String)'],
    ];
    for (const [text, type] of cases) {
      expect(() => bind(text, type)).toThrow(ClickHouseException);
      try {
        bind(text, type);
      } catch (error) {
        expect((error as ClickHouseException).code).toBe(457);
      }
    }
  });
});
