/** `calleeP95Ms` → `callee p95 (ms)`. */
export function numberLabel(key: string): string {
  return key
    .replace(/([a-z0-9])(?=[A-Z])/g, '$1 ')
    .replace(/ Ms$/, ' (ms)')
    .toLowerCase();
}
