import { getWebhooks, putWebhooks } from '@/lib/slo/sloEdits';
import { sloListInput } from '@/lib/slo/sloReport';
import { jsonRoute } from '../../_shared/handle';
import { jsonBody, writeRoute } from '../writeRoute';

export const GET = jsonRoute(sloListInput, async () => getWebhooks());

/** Replaces the webhook list of faultline.slo.yaml with the body, a list of `{ url, headers? }`. */
export const PUT = writeRoute(async (request) => putWebhooks(await jsonBody(request)));
