import { getLogVolume, logSearchArrayKeys, logVolumeInput } from '@/lib/queries/logSearch';
import { jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(logVolumeInput, (store, input) => getLogVolume(store, input), { arrayKeys: logSearchArrayKeys });
