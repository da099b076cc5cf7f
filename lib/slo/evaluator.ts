/**
 * The SLO evaluator: on a schedule, reads each SLO's request counts over the burn-rate rules' windows,
 * moves its alert through ok → pending → firing → resolved → ok, records every change in the alert
 * history and announces firing and resolved to the configured webhooks. The definitions come from
 * `faultline.slo.yaml`, reloaded when the file changes.
 *
 * One evaluator per store: it is the only writer of the alert history. Started by the hosting process
 * (`server/stack.ts`) with `startSloEvaluator(store, { file })`.
 */
import type { Store } from '@/lib/clickhouse/store';
import { getWindowCounts, listFailingTraces } from '@/lib/slo/sloCounts';
import { escalates, isAnnounced, nextAlertState } from './alertState';
import { listCurrentAlerts, recordAlertChange } from './alertStore';
import { burnRules, evaluateRules, ruleWindowsMs, type BurnRule, type RuleResult } from './burnRate';
import type { SloDefinition, AlertState, AlertChange, SloStatus } from '../contract/slo';
import { publishSloStatus } from '../host';
import { loadSloFile, watchSloFile } from './sloFile';
import { defaultRetry, WebhookQueue, type Delivery, type RetryPolicy } from './webhooks';

export type SloEvaluatorOptions = {
  /** Path of `faultline.slo.yaml`; a missing file means no SLOs until it appears. */
  file: string;
  /** How often the alerts are evaluated. */
  intervalMs?: number;
  /** The dashboard's public URL, to put absolute trace links in notifications. */
  dashboardUrl?: string;
  retry?: RetryPolicy;
  /** Reports failed evaluations and undeliverable notifications. */
  log?: (message: string) => void;
  now?: () => number;
};

export type SloEvaluator = {
  stop(): Promise<void>;
  /** Runs one evaluation now (after any in progress); resolves when its notifications are queued. */
  evaluateNow(): Promise<void>;
};

export const defaultEvaluationIntervalMs = 30_000;
const exampleTraceCount = 5;

export type AlertNotification = {
  version: 1;
  status: 'firing' | 'resolved';
  severity: string;
  summary: string;
  slo: Omit<SloDefinition, 'window'> & { windowMs: number };
  rule: { name: string; burnRate: number; longWindowMs: number; shortWindowMs: number };
  longBurnRate: number;
  shortBurnRate: number;
  at: string;
  exampleTraces: { traceId: string; url: string }[];
};

export function startSloEvaluator(store: Store, options: SloEvaluatorOptions): SloEvaluator {
  const intervalMs = options.intervalMs ?? defaultEvaluationIntervalMs;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.error(`SLO evaluator: ${message}`));
  const initial = loadSloFile(options.file);
  const status: SloStatus = {
    file: options.file,
    definitions: initial.definitions,
    loadError: initial.error,
    evaluationError: null,
    lastEvaluatedMs: null,
    intervalMs,
  };
  if (initial.error) log(initial.error);
  publishSloStatus(status);
  const unwatch = watchSloFile(options.file, () => {
    const loaded = loadSloFile(options.file, status.definitions);
    status.definitions = loaded.definitions;
    status.loadError = loaded.error;
    if (loaded.error) log(loaded.error);
  });
  const queue = new WebhookQueue(options.retry ?? defaultRetry, (delivery: Delivery) => {
    if (!delivery.ok) log(`notification to ${delivery.url} failed after ${delivery.attempts} attempts: ${delivery.error ?? `HTTP ${delivery.status}`}`);
  });

  let current: Promise<Map<string, AlertChange>> = listCurrentAlerts(store).then((rows) => new Map(rows.map((row) => [row.sloId, row])));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const evaluateAll = async (alerts: Map<string, AlertChange>) => {
    const at = now();
    const errors: string[] = [];
    for (const slo of status.definitions.slos) {
      try {
        const change = await evaluateSlo(store, slo, alerts.get(slo.id), at);
        if (!change) continue;
        const previous = alerts.get(slo.id)?.state ?? 'ok';
        await recordAlertChange(store, change);
        alerts.set(slo.id, change);
        // A change that stays firing is an escalation (see evaluateSlo).
        const escalation = previous === 'firing' && change.state === 'firing';
        if (escalation || isAnnounced(previous, change.state)) queue.send(status.definitions.webhooks, notification(slo, change, options.dashboardUrl));
      } catch (error) {
        errors.push(`${slo.id}: ${(error as Error).message}`);
      }
    }
    status.lastEvaluatedMs = at;
    status.evaluationError = errors.length > 0 ? errors.join('; ') : null;
    if (status.evaluationError) log(status.evaluationError);
    return alerts;
  };

  // Evaluations run one after another on one chain, whether the timer or evaluateNow asks.
  const evaluateNow = () => {
    current = current.then(evaluateAll, (error: unknown) => {
      log(`could not read the alert history: ${(error as Error).message}`);
      return evaluateAll(new Map());
    });
    return current.then(() => undefined);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void evaluateNow().finally(schedule), intervalMs);
  };
  schedule();

  return {
    evaluateNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      unwatch();
      await current.catch(() => undefined);
      await queue.close();
      publishSloStatus(undefined);
    },
  };
}

/** The alert's change at `atMs`, or null when its state (and, while firing, its severity) stays. */
async function evaluateSlo(store: Store, slo: SloDefinition, last: AlertChange | undefined, atMs: number): Promise<AlertChange | null> {
  const counts = await getWindowCounts(store, slo, ruleWindowsMs, atMs);
  const rules = evaluateRules(new Map(counts.map((c) => [c.windowMs, c])), slo.target);
  const holding = rules.find((rule) => rule.holds);
  const previous: AlertState = last?.state ?? 'ok';
  const state = nextAlertState(previous, holding !== undefined);
  const escalated = state === 'firing' && previous === 'firing' && holding !== undefined && escalates(last?.severity ?? '', holding.severity);
  if (state === previous && !escalated) return null;
  // A resolved alert keeps the rule that fired, so its history reads as one episode.
  const rule: RuleResult = holding ?? rules.find((candidate) => candidate.name === last?.rule) ?? (rules[0] as RuleResult);
  const exampleTraceIds =
    state === 'firing' ? await listFailingTraces(store, slo, { from: atMs - rule.longMs, to: atMs + 1 }, exampleTraceCount) : (last?.exampleTraceIds ?? []);
  return {
    timeMs: atMs,
    sloId: slo.id,
    state,
    severity: holding?.severity ?? last?.severity ?? rule.severity,
    rule: rule.name,
    longBurnRate: rule.longBurnRate,
    shortBurnRate: rule.shortBurnRate,
    exampleTraceIds,
    message: describe(slo, state, rule),
  };
}

function describe(slo: SloDefinition, state: AlertState, rule: RuleResult): string {
  const burn = `burn rate ${rule.longBurnRate.toFixed(1)}× over ${rule.longMs / 60_000} min and ${rule.shortBurnRate.toFixed(1)}× over ${rule.shortMs / 60_000} min`;
  if (state === 'firing' || state === 'pending') return `${slo.name}: error budget burning at ≥ ${rule.burnRate}× (${burn})`;
  if (state === 'resolved') return `${slo.name}: burn rate back under ${rule.burnRate}× (${burn})`;
  return `${slo.name}: ok`;
}

function notification(slo: SloDefinition, change: AlertChange, dashboardUrl = ''): AlertNotification {
  const rule = burnRules.find((candidate) => candidate.name === change.rule) as BurnRule;
  const { window, ...definition } = slo;
  return {
    version: 1,
    status: change.state as 'firing' | 'resolved',
    severity: change.severity,
    summary: change.message,
    slo: { ...definition, windowMs: window },
    rule: { name: rule.name, burnRate: rule.burnRate, longWindowMs: rule.longMs, shortWindowMs: rule.shortMs },
    longBurnRate: change.longBurnRate,
    shortBurnRate: change.shortBurnRate,
    at: new Date(change.timeMs).toISOString(),
    exampleTraces: change.exampleTraceIds.map((traceId) => ({ traceId, url: `${dashboardUrl}/traces/${traceId}` })),
  };
}
