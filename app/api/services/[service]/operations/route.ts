import { listOperations, serviceInput } from '@/lib/queries/services';
import { jsonRoute } from '../../../_shared/handle';

export const GET = jsonRoute(serviceInput, async (store, input) => ({ operations: await listOperations(store, input) }));
