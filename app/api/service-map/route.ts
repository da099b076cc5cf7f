import { getServiceMap, serviceMapInput } from '@/lib/queries/serviceMap';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(serviceMapInput, (store, input) => getServiceMap(store, input));
