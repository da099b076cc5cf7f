/**
 * The shape of the SLO routes that change `faultline.slo.yaml`: refuse a write sent by another site's
 * page, run the edit with the request and the path parameters, answer its JSON, or the error's status
 * with the fields it names.
 */
import { NextResponse } from 'next/server';
import { BadParameterError, CrossOriginWriteError } from '@/lib/errors';
import { errorResponse } from '../_shared/handle';

type RouteContext = { params: Promise<Record<string, string>> };

export function writeRoute(edit: (request: Request, params: Record<string, string>) => Promise<unknown> | unknown) {
  return async function write(request: Request, context: RouteContext): Promise<Response> {
    try {
      refuseCrossOrigin(request);
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

/**
 * Any page a user has open can POST a plain-text body here (no preflight), so a browser's write must
 * come from the dashboard's own origin. Clients that are not browsers send no Origin and may write.
 */
function refuseCrossOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const host = hostOf(origin);
  const forwardedHost = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  if (host === undefined || (host !== request.headers.get('host') && host !== forwardedHost)) {
    throw new CrossOriginWriteError(`SLO changes are accepted from Faultline's own pages only; this one came from a page of ${origin}.`);
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null": a sandboxed or file:// page
  }
}
