/**
 * What the SLO pages show, composed from the evaluator's definitions, the per-minute counts and the
 * alert history: per SLO its SLI and budget over its window, each rule's burn rates now, and its alert;
 * for one SLO also its burn rate over a range and its alert history.
 */
import { z } from 'zod';
import { FaultlineQueryError, NotFoundError } from '@/lib/queries/errors';
import { timeRangeFields, type TimeRange } from '@/lib/queries/input';
import type { QueryStore } from '@/lib/queries/run';
import { getCountsSeries, getWindowCounts } from '@/lib/queries/sloCounts';
import { listAlertHistory, listCurrentAlerts, type AlertChange } from './alertStore';
import { budgetRemaining, burnRate, evaluateRules, ruleWindowsMs, sli } from './burnRate';
import type { SloDefinition } from './definitions';
import { readSloStatus, type SloStatus } from './registry';

export const sloListInput = z.object({});
export const sloDetailInput = z.object({ ...timeRangeFields, id: z.string().min(1).max(63) });

export type RuleBurn = { name: string; severity: string; burnRate: number; longMs: number; shortMs: number; longBurnRate: number; shortBurnRate: number; holds: boolean };

export type SloSummary = {
  slo: Omit<SloDefinition, 'window'> & { windowMs: number };
  total: number;
  bad: number;
  /** Over the SLO's window; null without requests. */
  sli: number | null;
  budgetRemaining: number;
  rules: RuleBurn[];
  alert: AlertChange | null;
};

export type SloList = Omit<SloStatus, 'definitions'> & { webhooks: number; slos: SloSummary[] };
export type BurnPoint = { time: number; total: number; bad: number; burnRate: number };
export type SloDetail = SloSummary & { stepSeconds: number; series: BurnPoint[]; history: AlertChange[] };

export class SloUnavailableError extends FaultlineQueryError {
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
