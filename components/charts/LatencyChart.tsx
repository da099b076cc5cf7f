'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { annotationLines } from './annotationMarkers';
import { formatClock, formatMs } from './format';
import type { Annotation } from '@/lib/contract/annotations';
import type { ServicePoint } from '@/lib/contract/services';

const lines = [
  { key: 'p50Ms', name: 'p50', color: '#4ade80' },
  { key: 'p95Ms', name: 'p95', color: '#facc15' },
  { key: 'p99Ms', name: 'p99', color: '#f87171' },
] as const;

export function LatencyChart({ points, annotations }: { points: ServicePoint[]; annotations: Annotation[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#2a3140" strokeDasharray="3 3" />
        <XAxis dataKey="time" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={(t: number) => formatClock(t, false)} stroke="#8b95a7" />
        <YAxis tickFormatter={(v: number) => formatMs(v)} stroke="#8b95a7" width={64} />
        <Tooltip labelFormatter={(t) => formatClock(Number(t))} formatter={(v) => formatMs(Number(v))} contentStyle={{ background: '#151a23' }} />
        <Legend />
        {annotationLines(points.map((point) => point.time), annotations)}
        {lines.map((line) => (
          <Line key={line.key} dataKey={line.key} name={line.name} stroke={line.color} dot={false} isAnimationActive={false} connectNulls={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
