/**
 * SLO definitions as `faultline.slo.yaml` holds them, validated once at load: a bad file is refused
 * whole, with the path of the first wrong field (`slos[1].target: …`), and the definitions in force
 * stay as they were.
 *
 * ```yaml
 * webhooks:
 *   - url: https://hooks.example/faultline
 * slos:
 *   - id: checkout-availability
 *     service: gateway
 *     operation: POST /api/orders     # optional: all of the service's requests without it
 *     objective: availability          # or latency, with thresholdMs
 *     target: 99.9                     # percent of good requests
 *     window: 30d
 * ```
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { durationBoundariesMs, type SloDefinition, type SloEntry, type SloFile, type Webhook } from '../contract/slo';

export class SloDefinitionError extends Error {
  readonly code = 'FAULTLINE_ERR_BAD_SLO_DEFINITION';
  /** Each refused field's path (`target`, `slos[1].window`) with what is wrong with it. */
  readonly fields: Record<string, string>;
  constructor(message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'SloDefinitionError';
    this.fields = fields;
  }
}

const windowText = z
  .string({ error: 'must be a duration like 30d, 7d or 12h' })
  .regex(/^\d+[dh]$/, 'must be a duration like 30d, 7d or 12h')
  .transform((text) => Number(text.slice(0, -1)) * (text.endsWith('d') ? 86_400_000 : 3_600_000))
  .refine((ms) => ms >= 3_600_000 && ms <= 31 * 86_400_000, 'must be between 1h and 31d');

/** Paths under `/api/slos/` that are not SLOs. */
const reservedIds = ['file', 'webhooks'];

const sloSchema = z
  .object({
    id: z
      .string({ error: 'is required' })
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (at most 63)')
      .refine((id) => !reservedIds.includes(id), `must not be ${reservedIds.join(' or ')}: the API uses those names`),
    name: z.string().max(200).optional(),
    service: z.string({ error: 'is required' }).min(1, 'must not be empty').max(256),
    operation: z.string().min(1, 'must not be empty').max(1024).optional(),
    objective: z.enum(['availability', 'latency'], { error: 'must be availability or latency' }),
    thresholdMs: z
      .number({ error: 'must be a number of milliseconds' })
      .refine((ms) => (durationBoundariesMs as readonly number[]).includes(ms), `must be one of ${durationBoundariesMs.join(', ')}`)
      .optional(),
    target: z.number({ error: 'must be a percentage such as 99.9' }).gt(0, 'must be above 0').lt(100, 'must be below 100'),
    window: windowText,
  })
  .strict()
  .superRefine((slo, context) => {
    if (slo.objective === 'latency' && slo.thresholdMs === undefined) {
      context.addIssue({ code: 'custom', path: ['thresholdMs'], message: 'is required for a latency SLO' });
    }
    if (slo.objective === 'availability' && slo.thresholdMs !== undefined) {
      context.addIssue({ code: 'custom', path: ['thresholdMs'], message: 'applies only to latency SLOs' });
    }
  });

const webhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const fileSchema = z
  .object({
    webhooks: z.array(webhookSchema).default([]),
    slos: z.array(sloSchema, { error: 'must be a list of SLOs' }),
  })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.slos.forEach((slo, i) => {
      if (seen.has(slo.id)) context.addIssue({ code: 'custom', path: ['slos', i, 'id'], message: `repeats the id ${slo.id}` });
      seen.add(slo.id);
    });
  });

// The schemas read and write exactly the API contract's shapes.
sloSchema satisfies z.ZodType<Omit<SloDefinition, 'name'> & { name?: string }, SloEntry>;
webhookSchema satisfies z.ZodType<Webhook, Webhook>;

/** `slos.1.target` → `slos[1].target`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Every refused field with its first complaint, the first of them in the message after `source`. */
function refusal(source: string, issues: readonly z.core.$ZodIssue[]): SloDefinitionError {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[fieldPath(issue.path) || 'file'] ??= issue.message;
  const [field, message] = Object.entries(fields)[0] ?? ['file', 'is invalid'];
  return new SloDefinitionError(`${source}${field}: ${message}`, fields);
}

/** Validates one SLO as the file would hold it, naming every wrong field. */
export function parseSloEntry(raw: unknown): SloEntry {
  const parsed = sloSchema.safeParse(raw);
  if (!parsed.success) throw refusal('', parsed.error.issues);
  return raw as SloEntry;
}

/** Validates the webhook list as the file would hold it (`webhooks[0].url`). */
export function parseWebhooks(raw: unknown): Webhook[] {
  const parsed = z.array(webhookSchema, { error: 'must be a list of webhooks' }).safeParse(raw);
  if (!parsed.success) throw refusal('', parsed.error.issues.map((issue) => ({ ...issue, path: ['webhooks', ...issue.path] })));
  return parsed.data;
}

export function parseSloFile(text: string, source = 'faultline.slo.yaml'): SloFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new SloDefinitionError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw refusal(`${source}: `, parsed.error.issues);
  return {
    webhooks: parsed.data.webhooks,
    slos: parsed.data.slos.map((slo) => ({ ...slo, name: slo.name ?? slo.id })),
  };
}
