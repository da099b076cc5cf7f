import { listTraceLogs } from '@/lib/queries/logs';
import { traceIdInput } from '@/lib/queries/traces';
import { jsonRoute } from '../../../_shared/handle';

export const GET = jsonRoute(traceIdInput, async (store, input) => ({ logs: await listTraceLogs(store, input.traceId) }));
