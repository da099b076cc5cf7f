import { logSearchArrayKeys, logSearchInput, searchLogs } from '@/lib/queries/logSearch';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(logSearchInput, (store, input) => searchLogs(store, input), { arrayKeys: logSearchArrayKeys });
