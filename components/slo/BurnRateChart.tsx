'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { annotationLines } from '../charts/annotationMarkers';
import { formatClock } from '../charts/format';
import type { Annotation } from '@/lib/contract/annotations';
import type { BurnPoint, RuleBurn } from '@/lib/contract/slo';

/** Burn rate per bucket, with each rule's rate as a line to cross, and the range's annotations as markers. */
export function BurnRateChart({ series, rules, stepSeconds, annotations }: { series: BurnPoint[]; rules: RuleBurn[]; stepSeconds: number; annotations: Annotation[] }) {
  const data = series.map((point) => ({ time: point.time, burnRate: point.total === 0 ? null : point.burnRate }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }} data-testid="burn-rate-chart">
        <CartesianGrid stroke="#2a3140" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={(t: number) => formatClock(t, false)} stroke="#8b95a7" />
        <YAxis stroke="#8b95a7" width={48} />
        <Tooltip
          labelFormatter={(t) => `${formatClock(Number(t))} (per ${stepSeconds}s)`}
          formatter={(value) => [`${Number(value).toFixed(2)}×`, 'burn rate']}
          contentStyle={{ background: '#151a23' }}
        />
        {rules.map((rule) => (
          <ReferenceLine key={rule.name} y={rule.burnRate} stroke={rule.severity === 'page' ? '#f87171' : '#f59e0b'} strokeDasharray="4 4" label={{ value: `${rule.burnRate}×`, fill: '#8b95a7', position: 'insideTopRight' }} />
        ))}
        {annotationLines(series.map((point) => point.time), annotations)}
        <Line dataKey="burnRate" stroke="#60a5fa" dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
