import { findingsInput, listFindings } from '@/lib/findings/findings';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(findingsInput, (store, input) => listFindings(store, input));
