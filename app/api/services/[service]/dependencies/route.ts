import { getServiceDependencies, serviceInput } from '@/lib/queries/services';
import { jsonRoute } from '../../../_shared/handle';

export const GET = jsonRoute(serviceInput, (store, input) => getServiceDependencies(store, input));
