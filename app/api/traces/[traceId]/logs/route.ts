import { listTraceLogs } from '@/lib/queries/traceLogs';
import { traceIdInput } from '@/lib/queries/traceSearch';
import { jsonRoute } from '../../../_shared/handle';

export const GET = jsonRoute(traceIdInput, async (store, input) => ({ logs: await listTraceLogs(store, input.traceId) }));
