import { annotationsInput, listAnnotations } from '@/lib/queries/annotations';
import { jsonRoute } from '../_shared/handle';

export const GET = jsonRoute(annotationsInput, (store, input) => listAnnotations(store, input));
