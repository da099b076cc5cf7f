import { getTrace } from '@/lib/queries/traceSpans';
import { traceIdInput } from '@/lib/queries/traces';
import { jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(traceIdInput, (store, input) => getTrace(store, input.traceId));
