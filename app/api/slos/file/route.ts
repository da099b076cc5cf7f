import { getSloFileText, putSloFileText } from '@/lib/slo/sloEdits';
import { sloListInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../../_shared/handle';
import { writeRoute } from '../writeRoute';

export const GET = jsonRoute(sloListInput, async () => getSloFileText());

/**
 * The body is the whole YAML file; it is written only if every SLO in it is valid and, when `If-Match`
 * names the `version` the text was loaded at, only if the file is still that version (else 409).
 */
export const PUT = writeRoute(async (request) => putSloFileText(await request.text(), request.headers.get('if-match')?.replaceAll('"', '') || undefined));
