/**
 * The shape of the SLO routes that change `faultline.slo.yaml`: run the edit with the request and the
 * path parameters, answer its JSON, or the error's status with the fields it names.
 */
import { NextResponse } from 'next/server';
import { BadParameterError } from '@/lib/queries/errors';
import { errorResponse } from '../_shared/handle';

type RouteContext = { params: Promise<Record<string, string>> };

export function writeRoute(edit: (request: Request, params: Record<string, string>) => Promise<unknown> | unknown) {
  return async function write(request: Request, context: RouteContext): Promise<Response> {
    try {
      return NextResponse.json(await edit(request, (await context.params) ?? {}), { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new BadParameterError('the body must be JSON');
  }
}
