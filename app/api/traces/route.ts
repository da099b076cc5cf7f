import { searchTraces, traceSearchArrayKeys, traceSearchInput } from '@/lib/queries/traceSearch';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(traceSearchInput, async (store, input) => ({ traces: await searchTraces(store, input) }), {
  arrayKeys: traceSearchArrayKeys,
});
