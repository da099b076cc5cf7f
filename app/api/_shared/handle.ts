/**
 * The one shape of every API route: parse the query string (and path parameters) into a typed input,
 * run a query module against the shared store, answer JSON. Known errors become their HTTP status with
 * `{ error: { code, message, fields? } }`; anything else is a 500 whose details stay in the server log.
 */
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import type { Store } from '@/lib/clickhouse/store';
import { FaultlineError } from '@/lib/errors';
import { parseInput } from '@/lib/input';
import { hostedStore } from '@/lib/host';

type PathParams = Record<string, string>;
type RouteContext = { params: Promise<PathParams> };

export function jsonRoute<Schema extends z.ZodType, Output>(
  schema: Schema,
  answer: (store: Store, input: z.infer<Schema>) => Promise<Output>,
  options: { arrayKeys?: readonly string[] } = {},
) {
  return async function GET(request: Request, context: RouteContext): Promise<Response> {
    try {
      const params = new URL(request.url).searchParams;
      // Path parameters win over query parameters of the same name.
      for (const [name, value] of Object.entries((await context.params) ?? {})) params.set(name, value);
      const input = parseInput(schema, params, options.arrayKeys);
      const store = hostedStore();
      return NextResponse.json(await answer(store, input), { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof FaultlineError) {
    return NextResponse.json({ error: { code: error.code, message: error.message, fields: error.fields } }, { status: error.status });
  }
  console.error('API request failed', error);
  return NextResponse.json(
    { error: { code: 'FAULTLINE_ERR_INTERNAL', message: 'The query failed inside Faultline; the server log has the details.' } },
    { status: 500 },
  );
}
