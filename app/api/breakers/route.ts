import { breakersInput, listBreakers } from '@/lib/queries/breakers';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(breakersInput, (store, input) => listBreakers(store, input));
