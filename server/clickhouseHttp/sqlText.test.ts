import { describe, expect, it } from 'vitest';
import { analyze, SqlTextError } from './sqlText';

describe('analyze', () => {
  it('names the statement and whether it reads, past comments and opening parentheses', () => {
    expect(analyze('SELECT 1')).toMatchObject({ keyword: 'SELECT', reads: true, writes: false });
    expect(analyze('  -- a comment\n/* a /* nested */ one */ (SELECT 1) UNION ALL (SELECT 2)')).toMatchObject({ keyword: 'SELECT', reads: true });
    expect(analyze('with 1 as x select x')).toMatchObject({ keyword: 'WITH', reads: true });
    for (const query of ['SHOW TABLES', 'DESCRIBE t', 'DESC t', 'EXISTS TABLE t', 'EXPLAIN SELECT 1']) expect(analyze(query).reads).toBe(true);
    for (const query of ['INSERT INTO t SELECT 1', 'CREATE TABLE t (a UInt8) ENGINE = Memory', 'drop table t', 'SET a = 1', 'SYSTEM FLUSH LOGS', 'OPTIMIZE TABLE t']) {
      expect(analyze(query)).toMatchObject({ reads: false, writes: true });
    }
    expect(analyze('SELEC 1')).toMatchObject({ keyword: 'SELEC', reads: false, writes: false });
    expect(analyze('  ').keyword).toBe('');
  });

  it('finds the FORMAT clause, not a column or alias called format', () => {
    expect(analyze('SELECT 1 FORMAT JSONEachRow').format).toBe('JSONEachRow');
    expect(analyze('SELECT 1 FORMAT JSON SETTINGS max_threads = 1').format).toBe('JSON');
    expect(analyze("SELECT format('{}', 'x') AS f").format).toBeUndefined();
    expect(analyze('SELECT 1 AS format FROM t').format).toBeUndefined();
    expect(analyze("SELECT 'FORMAT JSON' -- FORMAT CSV").format).toBeUndefined();
    expect(analyze('SELECT * FROM (SELECT 1 FORMAT CSV)').format).toBeUndefined();
  });

  it('collects {name:Type} placeholders with nested types, never inside strings', () => {
    const { placeholders } = analyze("SELECT {a:Array(String)}, {b: Map(String, Tuple(UInt8, String))}, {c:Enum8('x' = 1, '}' = 2)}, '{d:String}', {e:String}");
    expect([...placeholders]).toEqual([
      ['a', 'Array(String)'],
      ['b', 'Map(String, Tuple(UInt8, String))'],
      ['c', "Enum8('x' = 1, '}' = 2)"],
      ['e', 'String'],
    ]);
    expect(analyze("SELECT {'k': 1}").placeholders.size).toBe(0);
  });

  it('refuses a second statement, not a trailing semicolon or one inside a string', () => {
    expect(analyze('SELECT 1;').secondStatementAt).toBeUndefined();
    expect(analyze('SELECT 1; ; -- end').secondStatementAt).toBeUndefined();
    expect(analyze("SELECT ';' AS x").secondStatementAt).toBeUndefined();
    expect(analyze('SELECT 1; DROP TABLE t').secondStatementAt).toBe(10);
  });

  it("finds where an INSERT's data starts, binary or not, and where FROM INFILE goes", () => {
    const rowBinary = 'INSERT INTO db.t (a, "b.c") SETTINGS async_insert = 0 FORMAT RowBinary\n\n\x00\xff';
    expect(analyze(rowBinary).insert).toEqual({ start: 0, infileAt: rowBinary.indexOf('SETTINGS'), formatAt: rowBinary.indexOf('FORMAT'), format: 'RowBinary', dataStart: rowBinary.indexOf('\n') + 1 });
    const values = "INSERT INTO t VALUES (1, 'a;b')";
    expect(analyze(values).insert).toMatchObject({ format: 'Values', infileAt: values.indexOf('VALUES'), dataStart: values.indexOf('VALUES') + 6 });
    // The data starts after the blanks when no line feed follows the format's name.
    const tsv = 'INSERT INTO t FORMAT TSV  1\t2';
    expect(analyze(tsv).insert?.dataStart).toBe(tsv.indexOf('1'));
    expect(analyze('INSERT INTO t (a) SELECT number FROM numbers(3) SETTINGS max_threads = 1').insert).toBeUndefined();
    expect(analyze("INSERT INTO t FROM INFILE '/etc/passwd' FORMAT CSV").insertFromInfile).toBe(true);
    expect(analyze('INSERT INTO infile SELECT * FROM infile').insertFromInfile).toBe(false);
  });

  it('sees INTO OUTFILE, and reports text it cannot read with its position', () => {
    expect(analyze("SELECT 1 INTO OUTFILE '/tmp/x'").intoOutfile).toBe(true);
    expect(analyze('SELECT 1 AS outfile').intoOutfile).toBe(false);
    expect(() => analyze("SELECT 'unterminated")).toThrow(SqlTextError);
    expect(() => analyze('SELECT $tag$ never closed')).toThrow(/heredoc/);
    expect(analyze('SELECT $$ ; FORMAT CSV $$').secondStatementAt).toBeUndefined();
  });
});
