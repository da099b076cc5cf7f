import { getSloFileText, putSloFileText } from '@/lib/slo/sloEdits';
import { sloListInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../../_shared/handle';
import { writeRoute } from '../writeRoute';

export const GET = jsonRoute(sloListInput, async () => getSloFileText());

/** The body is the whole YAML file; it is written only if every SLO in it is valid. */
export const PUT = writeRoute(async (request) => putSloFileText(await request.text()));
