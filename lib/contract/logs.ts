/** The logs explorer's answers (`/api/logs`, `/api/logs/volume`) and its severity levels. */
/** Severity levels as OpenTelemetry groups SeverityNumber: 1–4 trace, 5–8 debug … 21–24 fatal. */
export const severityLevels = ['unset', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export type SeverityLevel = (typeof severityLevels)[number];

export type LogLine = {
  timeMs: number;
  /** Nanoseconds since the epoch, as text: beyond what a JSON number holds exactly. */
  timeNs: string;
  service: string;
  severityText: string;
  severityNumber: number;
  body: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
};

export type LogPage = { lines: LogLine[]; nextCursor: string | null };

export type LogVolumePoint = { time: number } & Record<SeverityLevel, number>;

export type LogVolume = { stepSeconds: number; points: LogVolumePoint[] };
