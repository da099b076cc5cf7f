import { listSlos, sloListInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(sloListInput, (store) => listSlos(store));
