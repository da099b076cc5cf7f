'use client';

import { Area, AreaChart, ResponsiveContainer, YAxis } from 'recharts';

export type SparkSeries = { key: string; color: string };

/** A tiny stacked area chart without axes: the shape of recent traffic at a glance. */
export function Sparkline<Row extends Record<string, number>>({ data, series, height = 40 }: { data: Row[]; series: SparkSeries[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <AreaChart data={data} margin={{ top: 2, right: 0, bottom: 0, left: 0 }}>
        <YAxis hide domain={[0, 'dataMax']} />
        {series.map((s) => (
          <Area key={s.key} dataKey={s.key} stackId="spark" stroke={s.color} fill={s.color} fillOpacity={0.35} isAnimationActive={false} dot={false} />
        ))}
      </AreaChart>
    </ResponsiveContainer>
  );
}
