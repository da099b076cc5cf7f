import { NextResponse } from 'next/server';
import { getSloFileText, putSloFileText, sloListInput } from '@/lib/slo/sloReport';
import { errorResponse, jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(sloListInput, async () => getSloFileText());

/** The body is the whole YAML file; it is written only if every SLO in it is valid. */
export async function PUT(request: Request): Promise<Response> {
  try {
    return NextResponse.json(putSloFileText(await request.text()), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
