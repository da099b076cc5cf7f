/** A single self-overwriting progress line on stderr for long-running scripts. */
export function progressLine(label: string, total: number): { update(done: number): void; finish(): void } {
  let last = 0;
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    finish() {
      process.stderr.write('\n');
    },
  };
}
