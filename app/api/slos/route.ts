import { addSlo } from '@/lib/slo/sloEdits';
import { listSlos, sloListInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../_shared/handle';
import { jsonBody, writeRoute } from './writeRoute';

export const GET = jsonRoute(sloListInput, (store) => listSlos(store));

/** Adds one SLO (the body, as the file writes it) to faultline.slo.yaml. */
export const POST = writeRoute(async (request) => addSlo(await jsonBody(request)));
