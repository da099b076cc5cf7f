/**
 * Sets fault flags on every running demo service through `POST /admin/flags`.
 * Every service accepts every flag (the flag file is shared); only the service
 * the flag names acts on it, so setting it everywhere needs no routing table.
 */
import { SERVICE_NAMES, serviceUrl, type DemoConfig, type ServiceName } from '../shared/config';

export class ChaosUsageError extends Error {}

/** `on`/`true` → 1, `off`/`false` → 0, `0.25` or `25%` → 0.25. */
export function parseFlagValue(text: string): number {
  const lowered = text.trim().toLowerCase();
  if (lowered === 'on' || lowered === 'true') return 1;
  if (lowered === 'off' || lowered === 'false') return 0;
  const percent = lowered.endsWith('%');
  const value = Number(percent ? lowered.slice(0, -1) : lowered) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ChaosUsageError(`A flag value is on, off, a probability 0..1 or a percentage (got "${text}").`);
  }
  return value;
}

export interface FlagResult {
  service: ServiceName;
  ok: boolean;
  message: string;
}

export async function setFlagEverywhere(config: DemoConfig, flag: string, value: number, forSeconds?: number): Promise<FlagResult[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (service): Promise<FlagResult> => {
      try {
        const response = await fetch(`${serviceUrl(config, service)}/admin/flags`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ flags: { [flag]: value }, ...(forSeconds !== undefined && { forSeconds }) }),
          signal: AbortSignal.timeout(3000),
        });
        const body = (await response.json()) as { error?: { message: string } };
        return { service, ok: response.ok, message: response.ok ? 'set' : (body.error?.message ?? `HTTP ${response.status}`) };
      } catch (error) {
        return { service, ok: false, message: `unreachable (${(error as Error).message})` };
      }
    }),
  );
}

export async function listFlags(config: DemoConfig): Promise<Array<{ name: string; description: string; value: number }>> {
  const response = await fetch(`${serviceUrl(config, 'gateway')}/admin/flags`, { signal: AbortSignal.timeout(3000) });
  const body = (await response.json()) as { flags: Array<{ name: string; description: string; value: number }> };
  return body.flags;
}
