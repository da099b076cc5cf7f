import { getTrace } from '@/lib/queries/traceView';
import { traceIdInput } from '@/lib/queries/traceSearch';
import { jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(traceIdInput, (store, input) => getTrace(store, input.traceId));
