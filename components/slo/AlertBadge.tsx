import type { AlertChange } from '@/lib/contract/slo';

/** The alert's state by word and colour, with its severity while it is pending or firing. */
export function AlertBadge({ alert }: { alert: AlertChange | null }) {
  const state = alert?.state ?? 'ok';
  const active = state === 'firing' || state === 'pending';
  return (
    <span className={`alert-badge alert-${state}`} data-testid="alert-state" data-state={state}>
      {state}
      {active && alert ? ` · ${alert.severity}` : ''}
    </span>
  );
}
