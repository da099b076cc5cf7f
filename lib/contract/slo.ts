/** The SLO pages' answers and what their forms send (`/api/slos`, `/api/slos/{id}`, `/api/slos/file`). */
/**
 * The duration buckets of `faultline_slo_minutes`, in milliseconds: a latency SLO counts a request as
 * good when it took at most its threshold, which must be one of these boundaries (the view keeps
 * counts per bucket, not durations). The view `faultline_slo_minutes_mv.sql` holds the same list; `lib/clickhouse/tables.int.test.ts` fails when they differ.
 */
export const durationBoundariesMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;

export type SloObjective = 'availability' | 'latency';

/** One SLO as the file writes it (`window: 30d`). */
export type SloEntry = {
  id: string;
  name?: string;
  service: string;
  operation?: string;
  objective: SloObjective;
  thresholdMs?: number;
  /** Percent of good requests, such as 99.9. */
  target: number;
  window: string;
};

/** One SLO in force: its name filled in, its window in milliseconds. */
export type SloDefinition = Omit<SloEntry, 'name' | 'window'> & { name: string; window: number };

export type Webhook = { url: string; headers?: Record<string, string> };

export type SloFile = { slos: SloDefinition[]; webhooks: Webhook[] };

export type AlertState = 'ok' | 'pending' | 'firing' | 'resolved';

export type AlertChange = {
  timeMs: number;
  sloId: string;
  state: AlertState;
  severity: string;
  rule: string;
  longBurnRate: number;
  shortBurnRate: number;
  exampleTraceIds: string[];
  message: string;
};

export type SloStatus = {
  file: string;
  definitions: SloFile;
  /** Why the file was last refused (the definitions in force are the previous ones), or null. */
  loadError: string | null;
  /** Why the last evaluation failed, or null. */
  evaluationError: string | null;
  lastEvaluatedMs: number | null;
  intervalMs: number;
};

export type SloFileSaved = { file: string; slos: number };

/** `version` identifies the text, so a save can say which text its edit started from. */
export type SloFileText = { file: string; text: string; version: string };

export type BurnPoint = { time: number; total: number; bad: number; burnRate: number };

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

export type SloDetail = SloSummary & { stepSeconds: number; series: BurnPoint[]; history: AlertChange[] };

export type SloList = Omit<SloStatus, 'definitions'> & { webhooks: number; slos: SloSummary[] };
