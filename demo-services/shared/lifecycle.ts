/** How a demo process learns it should stop. */

/**
 * Stops on SIGTERM/SIGINT, and when the launching process goes away (its IPC
 * channel closes), so a crashed launcher leaves no orphaned service behind.
 */
export function stopOnSignals(stop: (reason: string) => void | Promise<void>): void {
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  if (process.send) {
    process.once('disconnect', () => void stop('launcher exited'));
    // The channel must not by itself keep the process alive.
    process.channel?.unref();
  }
}
