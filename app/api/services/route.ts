import { listServices, servicesInput } from '@/lib/queries/services';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(servicesInput, async (store, input) => ({ services: await listServices(store, input) }));
