/**
 * What the SLO pages show, composed from the evaluator's definitions, the per-minute counts and the
 * alert history: per SLO its SLI and budget over its window, each rule's burn rates now, and its alert;
 * for one SLO also its burn rate over a range and its alert history.
 */
import { z } from 'zod';
import { FaultlineError, NotFoundError } from '@/lib/errors';
import { timeRangeFields, type TimeRange } from '@/lib/input';
import type { QueryStore } from '@/lib/clickhouse/selectRows';
import { getCountsSeries, getWindowCounts } from '@/lib/slo/sloCounts';
import { listAlertHistory, listCurrentAlerts } from './alertStore';
import { budgetRemaining, burnRate, evaluateRules, ruleWindowsMs, sli } from './burnRate';
import type { SloDefinition, AlertChange, SloStatus } from '../contract/slo';
import { readSloStatus } from '../host';
import type { SloDetail, SloList, SloSummary } from '@/lib/contract/slo';

export const sloListInput = z.object({});
export const sloDetailInput = z.object({ ...timeRangeFields, id: z.string().min(1).max(63) });

export class SloUnavailableError extends FaultlineError {
  constructor() {
    super('FAULTLINE_ERR_SLO_UNAVAILABLE', 503, 'The SLO evaluator is not running in this process: start Faultline with `npm start` (it evaluates faultline.slo.yaml).');
  }
}

export function runningSloStatus(): SloStatus {
  const current = readSloStatus();
  if (!current) throw new SloUnavailableError();
  return current;
}

async function summarise(store: QueryStore, slo: SloDefinition, alert: AlertChange | undefined, nowMs: number): Promise<SloSummary> {
  const windows = [slo.window, ...ruleWindowsMs];
  const counts = await getWindowCounts(store, slo, windows, nowMs);
  const overWindow = counts[0] as { total: number; bad: number };
  const { window, ...definition } = slo;
  return {
    slo: { ...definition, windowMs: window },
    total: overWindow.total,
    bad: overWindow.bad,
    sli: sli(overWindow),
    budgetRemaining: budgetRemaining(overWindow, slo.target),
    rules: evaluateRules(new Map(counts.slice(1).map((c) => [c.windowMs, c])), slo.target),
    alert: alert ?? null,
  };
}

export async function listSlos(store: QueryStore, nowMs = Date.now()): Promise<SloList> {
  const { definitions, ...rest } = runningSloStatus();
  const alerts = new Map((await listCurrentAlerts(store)).map((alert) => [alert.sloId, alert]));
  const slos = await Promise.all(definitions.slos.map((slo) => summarise(store, slo, alerts.get(slo.id), nowMs)));
  return { ...rest, webhooks: definitions.webhooks.length, slos };
}

export async function getSloDetail(store: QueryStore, input: TimeRange & { id: string }, nowMs = Date.now()): Promise<SloDetail> {
  const slo = runningSloStatus().definitions.slos.find((candidate) => candidate.id === input.id);
  if (!slo) throw new NotFoundError(`no SLO ${input.id} in faultline.slo.yaml`);
  const [history, series] = await Promise.all([listAlertHistory(store, slo.id), getCountsSeries(store, slo, input)]);
  const summary = await summarise(store, slo, history[0], nowMs);
  return {
    ...summary,
    stepSeconds: series.stepSeconds,
    series: series.points.map((point) => ({ ...point, burnRate: burnRate(point, slo.target) })),
    history,
  };
}
