import { breakerTimelineInput, getBreakerTimelines } from '@/lib/queries/breakerTimelines';
import { jsonRoute } from '../../_shared/handle';

export const GET = jsonRoute(breakerTimelineInput, async (store, input) => ({
  timelines: await getBreakerTimelines(store, input),
}));
