import { describe, expect, it } from 'vitest';
import { join, param, render, sql, unsafeRaw } from './sql';

describe('the sql tagged template', () => {
  it('turns every interpolated value into a typed query parameter', () => {
    const service = "o'rder";
    expect(render(sql`SELECT * FROM t WHERE ServiceName = ${service} AND Duration > ${5} AND ratio < ${0.5}`)).toEqual({
      query: 'SELECT * FROM t WHERE ServiceName = {p0:String} AND Duration > {p1:Int64} AND ratio < {p2:Float64}',
      query_params: { p0: "o'rder", p1: 5, p2: 0.5 },
    });
  });

  it('takes an explicit type with param() and raw identifiers only through unsafeRaw()', () => {
    expect(render(sql`SELECT ${unsafeRaw('count()')} FROM ${unsafeRaw('otel_traces')} WHERE Duration >= ${param(1000, 'UInt64')}`)).toEqual({
      query: 'SELECT count() FROM otel_traces WHERE Duration >= {p0:UInt64}',
      query_params: { p0: 1000 },
    });
  });

  it('composes fragments and numbers parameters across them', () => {
    const conditions = [sql`a = ${'x'}`, sql`b IN ${['y', 'z']}`];
    expect(render(sql`SELECT 1 WHERE ${join(conditions, ' AND ')} LIMIT ${10}`)).toEqual({
      query: 'SELECT 1 WHERE a = {p0:String} AND b IN {p1:Array(String)} LIMIT {p2:Int64}',
      query_params: { p0: 'x', p1: ['y', 'z'], p2: 10 },
    });
  });

  it('refuses a value whose type it cannot infer', () => {
    expect(() => render(sql`SELECT ${{ a: 1 }}`)).toThrow(/cannot infer/);
  });
});
