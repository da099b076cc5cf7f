import { getSpan, spanInput } from '@/lib/queries/traceView';
import { jsonRoute } from '../../../../_shared/handle';

export const GET = jsonRoute(spanInput, (store, input) => getSpan(store, input.traceId, input.spanId));
