/**
 * An SLO alert's life, as Prometheus runs alerts: a rule that starts to hold makes the alert pending;
 * still holding at the next evaluation, it fires; once no rule holds, a firing alert is resolved, and
 * the evaluation after that it is ok again. Pending that stops holding goes back to ok unannounced.
 * Only firing and resolved are announced to webhooks, and a firing alert again when it escalates from
 * ticket to page (the burn got faster: someone must now be woken).
 */
import type { AlertState } from '@/lib/contract/slo';

export function nextAlertState(current: AlertState, holds: boolean): AlertState {
  if (holds) return current === 'pending' || current === 'firing' ? 'firing' : 'pending';
  return current === 'firing' ? 'resolved' : 'ok';
}

/** The changes a receiver hears about. */
export function isAnnounced(from: AlertState, to: AlertState): to is 'firing' | 'resolved' {
  return from !== to && (to === 'firing' || to === 'resolved');
}

export type Severity = 'page' | 'ticket';

/** A firing alert whose most severe holding rule is now a page where it was a ticket. */
export function escalates(from: string, to: Severity): boolean {
  return from === 'ticket' && to === 'page';
}
