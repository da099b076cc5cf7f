/**
 * Queries wait their turn: at most `concurrency` run on the engine at once, the rest wait in
 * arrival order. A query that would be one too many waiting is refused at once
 * (TOO_MANY_SIMULTANEOUS_QUERIES); one that waits longer than `maxWaitMs` gives up (TIMEOUT_EXCEEDED).
 * The collector's own inserts never enter this queue: they have their own connection to the engine.
 */
import { ClickHouseException } from './errors';

export type QueueOptions = { concurrency: number; maxWaiting: number; maxWaitMs: number };

export type QueryQueue = { run<T>(task: () => Promise<T>): Promise<T>; readonly running: number; readonly waiting: number };

export function createQueryQueue(options: QueueOptions): QueryQueue {
  let running = 0;
  const waiting: { start(): void; timer: NodeJS.Timeout }[] = [];
  const next = () => {
    const entry = waiting.shift();
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.start();
  };
  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      const execute = async () => {
        running++;
        try {
          return await task();
        } finally {
          running--;
          next();
        }
      };
      if (running < options.concurrency) return execute();
      if (waiting.length >= options.maxWaiting) {
        return Promise.reject(new ClickHouseException(202, `Too many simultaneous queries. Maximum: ${options.concurrency + options.maxWaiting}`));
      }
      return new Promise<T>((resolve, reject) => {
        const entry = {
          start: () => void execute().then(resolve, reject),
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            reject(new ClickHouseException(159, `Timeout exceeded: waited ${options.maxWaitMs} ms for a turn behind ${options.concurrency} running queries`));
          }, options.maxWaitMs),
        };
        waiting.push(entry);
      });
    },
  };
}
