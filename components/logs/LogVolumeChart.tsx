'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../charts/format';
import { severityColors } from './severityStyle';
import { severityLevels, type LogVolume } from '@/lib/contract/logs';

/** Log lines per bucket, stacked by severity; levels with no lines in the range stay out of the legend. */
export function LogVolumeChart({ volume }: { volume: LogVolume }) {
  const present = severityLevels.filter((level) => volume.points.some((point) => point[level] > 0));
  return (
    <ResponsiveContainer width="100%" height={160}>
      <BarChart data={volume.points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }} data-testid="log-volume">
        <CartesianGrid stroke="#2a3140" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={(t: number) => formatClock(t, false)} stroke="#8b95a7" />
        <YAxis stroke="#8b95a7" width={48} allowDecimals={false} />
        <Tooltip labelFormatter={(t) => `${formatClock(Number(t))} (per ${volume.stepSeconds}s)`} contentStyle={{ background: '#151a23' }} />
        <Legend />
        {present.map((level) => (
          <Bar key={level} dataKey={level} name={level} stackId="lines" fill={severityColors[level]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
