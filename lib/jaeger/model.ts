/**
 * Jaeger's HTTP JSON query model (what Jaeger's query service answers on `/api/…` and Jaeger UI and
 * Grafana's Jaeger data source read): an envelope around the data, traces with their spans and
 * processes. Times and durations are microseconds, ids lower-case hexadecimal.
 */

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export type JaegerTag = { key: string; type: JaegerTagType; value: string | boolean | number };

export type JaegerReference = { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string };

export type JaegerLog = { timestamp: number; fields: JaegerTag[] };

export type JaegerSpan = {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  flags: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
};

export type JaegerProcess = { serviceName: string; tags: JaegerTag[] };

export type JaegerTrace = {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
};

export type JaegerOperation = { name: string; spanKind: string };

export type JaegerDependencyLink = { parent: string; child: string; callCount: number };

/** `code` is the HTTP status; a trace asked by id and not found has its `traceID` instead. */
export type JaegerError = { code?: number; msg: string; traceID?: string };

export type JaegerResponse<Data> = { data: Data; total: number; limit: number; offset: number; errors: JaegerError[] | null };
