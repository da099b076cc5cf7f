/**
 * The load of the overload proof, sent over keep-alive HTTP by concurrent senders: closed-loop (each
 * sender posts again once answered) to measure the sustained rate, or open-loop, offering a fixed
 * rate of spans per second whatever the collector answers, on up to `senders` requests at a time.
 * Senders don't retry: each answer is counted as it is, a 200 as acknowledged spans, a 429 with or
 * without its Retry-After.
 */
import { otlpPoster } from '../bench/collectorProcess';

export type LoadOptions = {
  /** The OTLP/HTTP traces URL. */
  url: string;
  bodies: Buffer[];
  spansPerRequest: number;
  senders: number;
  seconds: number;
  /** Open loop: spans per second offered by all senders together. Absent: closed loop, as fast as answered. */
  spansPerSecond?: number;
  /** Called once a second with the figures so far. */
  onSecond?: (tally: LoadTally) => void;
};

export type LoadTally = {
  requests: number;
  acknowledgedSpans: number;
  statuses: Record<number, number>;
  tooManyRequests: number;
  tooManyWithRetryAfter: number;
  /** Requests that got no answer (connection errors). */
  unanswered: number;
  /** Paced: requests that fell due while every sender was waiting for an answer, so were not sent. */
  skipped: number;
  elapsedSeconds: number;
};

export async function sendLoad(options: LoadOptions): Promise<LoadTally> {
  const poster = otlpPoster(options.senders);
  const tally: LoadTally = { requests: 0, acknowledgedSpans: 0, statuses: {}, tooManyRequests: 0, tooManyWithRetryAfter: 0, unanswered: 0, skipped: 0, elapsedSeconds: 0 };
  const started = performance.now();
  const endsAt = started + options.seconds * 1000;
  const ticker = setInterval(() => {
    tally.elapsedSeconds = (performance.now() - started) / 1000;
    options.onSecond?.(tally);
  }, 1000);
  let next = 0;
  const post = async () => {
    tally.requests++;
    try {
      const answer = await poster.post(options.url, options.bodies[next++ % options.bodies.length]!);
      tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
      if (answer.status === 200) tally.acknowledgedSpans += options.spansPerRequest;
      if (answer.status === 429) {
        tally.tooManyRequests++;
        if (answer.retryAfter !== undefined && Number(answer.retryAfter) > 0) tally.tooManyWithRetryAfter++;
      }
    } catch {
      tally.unanswered++;
    }
  };

  if (options.spansPerSecond === undefined) {
    const sender = async () => {
      while (performance.now() < endsAt) await post();
    };
    await Promise.all(Array.from({ length: options.senders }, sender));
  } else {
    // Open loop: requests fall due at the offered rate whatever the answers, each on a free sender.
    const requestsPerMs = options.spansPerSecond / options.spansPerRequest / 1000;
    const inFlight = new Set<Promise<void>>();
    let due = 0;
    while (performance.now() < endsAt) {
      const nowDue = Math.floor((performance.now() - started) * requestsPerMs);
      for (; due < nowDue; due++) {
        if (inFlight.size >= options.senders) {
          tally.skipped++;
          continue;
        }
        const request = post().finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(inFlight);
  }
  clearInterval(ticker);
  poster.close();
  tally.elapsedSeconds = (performance.now() - started) / 1000;
  return tally;
}
