import { getSloDetail, sloDetailInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(sloDetailInput, (store, input) => getSloDetail(store, input));
