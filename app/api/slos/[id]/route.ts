import { deleteSlo, replaceSlo } from '@/lib/slo/sloEdits';
import { getSloDetail, sloDetailInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../../_shared/handle';
import { jsonBody, writeRoute } from '../writeRoute';

export const GET = jsonRoute(sloDetailInput, (store, input) => getSloDetail(store, input));

/** Replaces the SLO's definition in faultline.slo.yaml with the body; its id can't change. */
export const PUT = writeRoute(async (request, { id = '' }) => replaceSlo(id, await jsonBody(request)));

export const DELETE = writeRoute((_request, { id = '' }) => deleteSlo(id));
