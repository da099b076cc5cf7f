/**
 * The webhook form's state: each receiver's URL and its headers as `Name: value` lines, turned back
 * into the list the API writes to the file.
 */
import type { Webhook } from '@/lib/contract/slo';

export type WebhookDraft = { url: string; headers: string };

export function draftFromWebhook(webhook: Webhook): WebhookDraft {
  return { url: webhook.url, headers: Object.entries(webhook.headers ?? {}).map(([name, value]) => `${name}: ${value}`).join('\n') };
}

/** The webhooks, or the field of the first header line that isn't `Name: value` (as the API would name it). */
export function webhooksFromDrafts(drafts: readonly WebhookDraft[]): { webhooks: Webhook[] } | { field: string; error: string } {
  const webhooks: Webhook[] = [];
  for (const [i, draft] of drafts.entries()) {
    const lines = draft.headers.split('\n').filter((line) => line.trim() !== '');
    const malformed = lines.find((line) => !/^[^:\s][^:]*:/.test(line));
    if (malformed !== undefined) return { field: `webhooks[${i}].headers`, error: `“${malformed}” is not a Name: value line` };
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]));
    webhooks.push({ url: draft.url.trim(), ...(lines.length > 0 ? { headers } : {}) });
  }
  return { webhooks };
}
