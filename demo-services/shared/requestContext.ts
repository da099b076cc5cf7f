/**
 * Who the current unit of work is for. Handlers set the user once; every log
 * line written inside picks it up as `user_id` without threading it through.
 * It rides in the OpenTelemetry context, so one AsyncLocalStorage (the context
 * manager's) carries both it and the active span; telemetry.ts installs that
 * context manager even with the SDK off.
 */
import { context, createContextKey, trace } from '@opentelemetry/api';

const REQUEST = createContextKey('faultline.demo.request');

type RequestState = { userId?: string };

export function runWithRequestContext<T>(fn: () => T): T {
  const state: RequestState = {};
  return context.with(context.active().setValue(REQUEST, state), fn);
}

/** Records the user for the rest of this request and on its active span (`enduser.id`). */
export function setCurrentUser(userId: string): void {
  const state = context.active().getValue(REQUEST) as RequestState | undefined;
  if (state) state.userId = userId;
  // A request whose client has gone away has already ended its server span.
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.setAttribute('enduser.id', userId);
}

export function currentUserId(): string | undefined {
  return (context.active().getValue(REQUEST) as RequestState | undefined)?.userId;
}
