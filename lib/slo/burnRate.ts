/**
 * Error-budget maths and the multiwindow, multi-burn-rate alert rules of the Google SRE workbook
 * (chapter "Alerting on SLOs"). With a target of 99.9 %, the error budget is 0.1 % of requests; a
 * burn rate of 1 spends exactly the budget over the SLO window, 14.4 spends 2 % of a 30-day budget
 * in one hour. A rule holds when both its long and its short window burn at least its rate: the long
 * window proves the burn is significant, the short one that it is still happening (so the alert
 * resolves soon after the burn stops).
 */

export type Counts = { total: number; bad: number };

export type BurnRule = { name: string; severity: 'page' | 'ticket'; burnRate: number; longMs: number; shortMs: number };

const minute = 60_000;
const hour = 60 * minute;

/** Most severe first, so the first rule that holds names the alert's severity. */
export const burnRules: readonly BurnRule[] = [
  { name: 'page-1h', severity: 'page', burnRate: 14.4, longMs: hour, shortMs: 5 * minute },
  { name: 'page-6h', severity: 'page', burnRate: 6, longMs: 6 * hour, shortMs: 30 * minute },
  { name: 'ticket-3d', severity: 'ticket', burnRate: 1, longMs: 72 * hour, shortMs: 6 * hour },
];

/** Every window the rules read, once each. */
export const ruleWindowsMs: readonly number[] = [...new Set(burnRules.flatMap((rule) => [rule.longMs, rule.shortMs]))].sort((a, b) => a - b);

/** Allowed share of bad requests: 1 − target, with the target in percent. */
export function errorBudget(targetPercent: number): number {
  return 1 - targetPercent / 100;
}

/** Share of good requests; null with no requests (no evidence either way). */
export function sli({ total, bad }: Counts): number | null {
  return total === 0 ? null : (total - bad) / total;
}

/** How fast the budget burns: the bad share over the allowed bad share. No requests burn nothing. */
export function burnRate({ total, bad }: Counts, targetPercent: number): number {
  return total === 0 ? 0 : bad / total / errorBudget(targetPercent);
}

/** Share of the window's budget still unspent; negative once overspent. */
export function budgetRemaining(counts: Counts, targetPercent: number): number {
  return 1 - burnRate(counts, targetPercent);
}

export type RuleResult = BurnRule & { longBurnRate: number; shortBurnRate: number; holds: boolean };

/** Each rule with its two windows' burn rates, from counts keyed by window length. */
export function evaluateRules(countsByWindow: ReadonlyMap<number, Counts>, targetPercent: number): RuleResult[] {
  const rate = (windowMs: number) => burnRate(countsByWindow.get(windowMs) ?? { total: 0, bad: 0 }, targetPercent);
  return burnRules.map((rule) => {
    const longBurnRate = rate(rule.longMs);
    const shortBurnRate = rate(rule.shortMs);
    return { ...rule, longBurnRate, shortBurnRate, holds: longBurnRate >= rule.burnRate && shortBurnRate >= rule.burnRate };
  });
}
