'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { annotationLines } from './annotationMarkers';
import { formatClock } from './format';
import type { Annotation } from '@/lib/contract/annotations';
import type { ServicePoint } from '@/lib/contract/services';

/** Requests per bucket split into successes and errors, stacked so the total stays readable. */
export function ThroughputChart({ points, stepSeconds, annotations }: { points: ServicePoint[]; stepSeconds: number; annotations: Annotation[] }) {
  const data = points.map((point) => ({ time: point.time, ok: point.requests - point.errors, errors: point.errors }));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#2a3140" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={(t: number) => formatClock(t, false)} stroke="#8b95a7" />
        <YAxis stroke="#8b95a7" width={48} allowDecimals={false} />
        <Tooltip labelFormatter={(t) => `${formatClock(Number(t))} (per ${stepSeconds}s)`} contentStyle={{ background: '#151a23' }} />
        <Legend />
        {annotationLines(points.map((point) => point.time), annotations)}
        <Bar dataKey="ok" name="ok" stackId="calls" fill="#60a5fa" isAnimationActive={false} />
        <Bar dataKey="errors" name="errors" stackId="calls" fill="#f87171" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
