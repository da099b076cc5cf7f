/**
 * Sends `count` fuzz cases drawn from `seed` to a running collector, one at a time, and checks each
 * answer: given within a bound, never a 5xx but 503, over gRPC only OK, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED or UNAVAILABLE, a valid body acknowledged without refusals, the process's RSS
 * under its bound. At the end every item of every acknowledged valid body must be in the store.
 * A failing case is shrunk by fast-check and reported with the seed that replays it.
 */
import fc from 'fast-check';
import { grpcExportClient, type GrpcAnswer } from '../../tests/support/grpcExport';
import type { TestFaultline } from '../../tests/support/faultline';
import { fetchBody } from '../../tests/support/otlpBodies';
import { fuzzCase, type FuzzCase } from './fuzzCases';
import type { Tracked } from './validBodies';

export type FuzzOptions = {
  seed: number;
  count: number;
  /** The collector's `FAULTLINE_MAX_BODY_BYTES`, for gzip bombs just under and over it. */
  maxBodyBytes: number;
  maxRssBytes: number;
  answerWithinMs: number;
  onCase?: (done: number) => void;
};

export type FuzzSummary = {
  seed: number;
  requests: number;
  /** Answers by receiver and status, e.g. `otlpHttp 400`, `grpc INVALID_ARGUMENT`. */
  statuses: Record<string, number>;
  kinds: Record<string, number>;
  startRssBytes: number;
  maxRssBytes: number;
  slowestAnswerMs: number;
  /** Items of acknowledged valid bodies, and how many of them the store holds. */
  acknowledgedItems: number;
  storedItems: number;
  /** fast-check's report of the first failing case (shrunk, with its seed and path), and the end checks' failures. */
  failures: string[];
};

const shrinkSteps = 200;

const grpcCodeNames: Record<number, string> = { 0: 'OK', 3: 'INVALID_ARGUMENT', 8: 'RESOURCE_EXHAUSTED', 14: 'UNAVAILABLE' };

type Answer = { status: string; ok: boolean; refusedItems: boolean };

export async function runFuzz(faultline: TestFaultline, options: FuzzOptions): Promise<FuzzSummary> {
  const grpcTarget = `127.0.0.1:${faultline.collector.grpcPort}`;
  const grpc = { plain: grpcExportClient(grpcTarget), gzip: grpcExportClient(grpcTarget, { gzip: true }) };
  const acknowledged = new Map<string, Set<string>>();
  const summary: FuzzSummary = {
    seed: options.seed,
    requests: 0,
    statuses: {},
    kinds: {},
    startRssBytes: process.memoryUsage.rss(),
    maxRssBytes: 0,
    slowestAnswerMs: 0,
    acknowledgedItems: 0,
    storedItems: 0,
    failures: [],
  };

  const send = (fuzz: FuzzCase): Promise<Answer> => {
    if (fuzz.transport === 'grpc') return grpcAnswer(grpc[fuzz.grpcGzip ? 'gzip' : 'plain'].call(fuzz.path, fuzz.body));
    const base = fuzz.transport === 'zipkin' ? faultline.collector.zipkinUrl : faultline.otlpEndpoint;
    return httpAnswer(fuzz, fetch(`${base}${fuzz.path}`, { method: 'POST', headers: fuzz.headers, body: fetchBody(fuzz.body), signal: AbortSignal.timeout(options.answerWithinMs) }));
  };

  const check = async (fuzz: FuzzCase) => {
    const started = performance.now();
    const answer = await withinBound(send(fuzz), options.answerWithinMs, fuzz.kind);
    const took = performance.now() - started;
    summary.requests++;
    summary.slowestAnswerMs = Math.max(summary.slowestAnswerMs, took);
    summary.statuses[`${fuzz.transport} ${answer.status}`] = (summary.statuses[`${fuzz.transport} ${answer.status}`] ?? 0) + 1;
    summary.kinds[fuzz.kind] = (summary.kinds[fuzz.kind] ?? 0) + 1;
    const rss = process.memoryUsage.rss();
    summary.maxRssBytes = Math.max(summary.maxRssBytes, rss);
    options.onCase?.(summary.requests);
    if (!isAllowed(fuzz, answer.status)) throw new Error(`${fuzz.kind}: answered ${fuzz.transport} ${answer.status}`);
    if (rss > options.maxRssBytes) throw new Error(`${fuzz.kind}: RSS ${mib(rss)} MiB over the bound of ${mib(options.maxRssBytes)} MiB`);
    if (!fuzz.tracked) return;
    if (answer.ok && answer.refusedItems) throw new Error(`${fuzz.kind}: a valid body was acknowledged with items refused`);
    if (answer.ok) track(acknowledged, fuzz.tracked);
    else if (answer.status !== '429' && answer.status !== '503' && answer.status !== 'RESOURCE_EXHAUSTED' && answer.status !== 'UNAVAILABLE') {
      throw new Error(`${fuzz.kind}: a valid body was refused with ${answer.status}`);
    }
  };

  // After the first failure fast-check shrinks it, running the property again on smaller cases; past
  // `shrinkSteps` runs the rest pass unsent, which ends the shrinking with the smallest failure found.
  let shrinking = false;
  let shrinkRuns = 0;
  const property = fc.asyncProperty(fuzzCase(options.maxBodyBytes), async (fuzz) => {
    if (shrinking && ++shrinkRuns > shrinkSteps) return;
    try {
      await check(fuzz);
    } catch (error) {
      shrinking = true;
      throw error;
    }
  });
  try {
    const details = await fc.check(property, { seed: options.seed, numRuns: options.count });
    if (details.failed) summary.failures.push(describeFailure(details));
  } finally {
    grpc.plain.close();
    grpc.gzip.close();
  }
  const health = await fetch(`${faultline.otlpEndpoint}/health`).catch((error: unknown) => error as Error);
  if (health instanceof Error || health.status !== 200) summary.failures.push(`the collector's /health does not answer 200 after the run: ${health instanceof Error ? health.message : health.status}`);
  for (const [where, values] of acknowledged) {
    const stored = await countStored(faultline, where, [...values]);
    summary.acknowledgedItems += values.size;
    summary.storedItems += stored;
    if (stored !== values.size) summary.failures.push(`${where}: ${values.size - stored} of ${values.size} acknowledged items are not in the store`);
  }
  return summary;
}

/** The shrunk case, its error, and how to replay it; the body as its length and first bytes. */
function describeFailure(details: fc.RunDetails<[FuzzCase]>): string {
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const lines = [`${error}`, `replay: seed ${details.seed}, path "${details.counterexamplePath}" (fc.check's { seed, path }), shrunk ${details.numShrinks} times`];
  if (details.counterexample) {
    const [fuzz] = details.counterexample;
    lines.push(`case: ${fuzz.transport} ${fuzz.path} ${JSON.stringify(fuzz.headers)}${fuzz.grpcGzip ? ' (gzip)' : ''}`);
    lines.push(`body: ${fuzz.body.length} bytes, starting ${fuzz.body.subarray(0, 96).toString('hex')}`);
  }
  return lines.join('\n');
}

function track(acknowledged: Map<string, Set<string>>, tracked: Tracked): void {
  const where = `${tracked.table}.${tracked.column}`;
  const values = acknowledged.get(where) ?? new Set<string>();
  for (const value of tracked.values) values.add(value);
  acknowledged.set(where, values);
}

async function countStored(faultline: TestFaultline, where: string, values: string[]): Promise<number> {
  const [table, column] = where.split('.') as [Tracked['table'], Tracked['column']];
  let stored = 0;
  for (let from = 0; from < values.length; from += 10_000) {
    // Identifiers from `Tracked`'s closed set; the values are a query parameter.
    const [row] = await faultline.query<{ n: string }>(`SELECT uniqExact(${column}) AS n FROM faultline.${table} WHERE ${column} IN {values:Array(String)}`, {
      values: values.slice(from, from + 10_000),
    });
    stored += Number(row!.n);
  }
  return stored;
}

function isAllowed(fuzz: FuzzCase, status: string): boolean {
  if (fuzz.transport === 'grpc') return Object.values(grpcCodeNames).includes(status);
  return /^[234]\d\d$/.test(status) || status === '503';
}

async function httpAnswer(fuzz: FuzzCase, answering: Promise<Response>): Promise<Answer> {
  const response = await answering;
  const body = Buffer.from(await response.arrayBuffer());
  const ok = response.status >= 200 && response.status < 300;
  const json = response.headers.get('content-type')?.startsWith('application/json') && body.length > 0;
  const refusedItems = ok && fuzz.transport === 'otlpHttp' && (json ? 'partialSuccess' in (JSON.parse(body.toString()) as object) : body.length > 0);
  return { status: String(response.status), ok, refusedItems };
}

async function grpcAnswer(answering: Promise<GrpcAnswer>): Promise<Answer> {
  const answer = await answering;
  if (answer.error) return { status: grpcCodeNames[answer.error.code] ?? `code ${answer.error.code} (${answer.error.details})`, ok: false, refusedItems: false };
  return { status: 'OK', ok: true, refusedItems: answer.response.length > 0 };
}

/** Rejects if `answer` takes longer than `ms`: a hang is a failure like any other. */
function withinBound<T>(answer: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

export const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
