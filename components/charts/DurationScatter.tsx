'use client';

import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatMs } from './format';

export type ScatterPoint = { id: string; time: number; durationMs: number; error: boolean };

/** Duration over time, one dot per trace; errors in red. Clicking a dot opens its trace. */
export function DurationScatter({ points, onOpen }: { points: ScatterPoint[]; onOpen: (id: string) => void }) {
  const series = [
    { name: 'ok', color: '#60a5fa', data: points.filter((point) => !point.error) },
    { name: 'error', color: '#f87171', data: points.filter((point) => point.error) },
  ];
  return (
    <ResponsiveContainer width="100%" height={200}>
      <ScatterChart margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#2a3140" strokeDasharray="3 3" />
        <XAxis dataKey="time" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(t)} stroke="#8b95a7" />
        <YAxis dataKey="durationMs" type="number" tickFormatter={(v: number) => formatMs(v)} stroke="#8b95a7" width={64} />
        <Tooltip
          cursor={{ strokeDasharray: '3 3' }}
          contentStyle={{ background: '#151a23' }}
          formatter={(value, name) => (name === 'durationMs' ? formatMs(Number(value)) : formatClock(Number(value)))}
        />
        {series.map((s) => (
          <Scatter
            key={s.name}
            name={s.name}
            data={s.data}
            fill={s.color}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(entry) => {
              const id = (entry as { payload?: ScatterPoint }).payload?.id;
              if (id) onOpen(id);
            }}
          />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
}
