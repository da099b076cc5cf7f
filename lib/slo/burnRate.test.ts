import { describe, expect, it } from 'vitest';
import { escalates, isAnnounced, nextAlertState } from './alertState';
import { budgetRemaining, burnRate, burnRules, errorBudget, evaluateRules, ruleWindowsMs, sli } from './burnRate';

const minute = 60_000;
const hour = 60 * minute;

describe('error budget maths', () => {
  it('computes the SLI as the share of good requests', () => {
    expect(sli({ total: 2_000, bad: 3 })).toBe(0.9985);
    expect(sli({ total: 0, bad: 0 })).toBeNull();
  });

  it('computes the burn rate as the bad share over the budget', () => {
    // 99.9 %: budget 0.1 %. 3 bad of 2,000 is 0.15 %, 1.5 times the budget.
    expect(errorBudget(99.9)).toBeCloseTo(0.001, 12);
    expect(burnRate({ total: 2_000, bad: 3 }, 99.9)).toBeCloseTo(1.5, 9);
    // 99 %: budget 1 %. 72 bad of 500 is 14.4 %: exactly the fast page rate.
    expect(burnRate({ total: 500, bad: 72 }, 99)).toBeCloseTo(14.4, 9);
    expect(burnRate({ total: 0, bad: 0 }, 99)).toBe(0);
  });

  it('computes the budget left, negative once overspent', () => {
    // 95 %: budget 5 %. 1 bad of 100 spends a fifth of it.
    expect(budgetRemaining({ total: 100, bad: 1 }, 95)).toBeCloseTo(0.8, 9);
    expect(budgetRemaining({ total: 100, bad: 10 }, 95)).toBeCloseTo(-1, 9);
    expect(budgetRemaining({ total: 0, bad: 0 }, 95)).toBe(1);
  });
});

describe('multiwindow, multi-burn-rate rules', () => {
  it('are the SRE workbook’s three', () => {
    expect(burnRules.map(({ burnRate, longMs, shortMs, severity }) => [severity, burnRate, longMs / minute, shortMs / minute])).toEqual([
      ['page', 14.4, 60, 5],
      ['page', 6, 360, 30],
      ['ticket', 1, 4320, 360],
    ]);
    expect(ruleWindowsMs.map((ms) => ms / minute)).toEqual([5, 30, 60, 360, 4320]);
  });

  const counts = (entries: [number, number, number][]) => new Map(entries.map(([ms, total, bad]) => [ms, { total, bad }]));

  it('hold only when both windows burn fast enough', () => {
    // 99 %: the 1 h window burns 15×, the 5 min window 20×: the fast page holds.
    const burst = counts([[hour, 1_000, 150], [5 * minute, 100, 20], [30 * minute, 500, 20], [6 * hour, 5_000, 150], [72 * hour, 50_000, 150]]);
    expect(evaluateRules(burst, 99).map((rule) => [rule.name, rule.holds, +rule.longBurnRate.toFixed(3), +rule.shortBurnRate.toFixed(3)])).toEqual([
      ['page-1h', true, 15, 20],
      ['page-6h', false, 3, 4],
      ['ticket-3d', false, 0.3, 3],
    ]);
    // The same hour, but the burn stopped: the 5 min window is clean, so the page no longer holds.
    const stopped = counts([[hour, 1_000, 150], [5 * minute, 100, 0]]);
    expect(evaluateRules(stopped, 99)[0]?.holds).toBe(false);
  });
});

describe('alert states', () => {
  it('go pending, then firing, then resolved, then ok', () => {
    const states = [true, true, true, false, false].reduce<string[]>((seen, holds) => [...seen, nextAlertState((seen.at(-1) ?? 'ok') as never, holds)], []);
    expect(states).toEqual(['pending', 'firing', 'firing', 'resolved', 'ok']);
  });

  it('drop a pending alert that stops holding without announcing it', () => {
    expect(nextAlertState('pending', false)).toBe('ok');
    expect(isAnnounced('pending', 'ok')).toBe(false);
    expect(isAnnounced('pending', 'firing')).toBe(true);
    expect(isAnnounced('firing', 'firing')).toBe(false);
    expect(isAnnounced('firing', 'resolved')).toBe(true);
  });

  it('escalate a firing ticket to a page, never the other way', () => {
    expect(escalates('ticket', 'page')).toBe(true);
    expect(escalates('page', 'ticket')).toBe(false);
    expect(escalates('page', 'page')).toBe(false);
  });
});
