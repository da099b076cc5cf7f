/**
 * Every fault the demo can inject, in one place (the OpenTelemetry Demo's flag
 * file pattern). A flag's value is a probability: 0 is off (the default), 1 is
 * always, `true`/`false` are accepted as 1/0. Flags are read on every call, so a
 * change through `POST /admin/flags` takes effect on the next request, and the
 * span of an injected fault carries `faultline.fault=<flag>`. Each change is
 * announced (`onChange`), so the service the flag names can log it as a
 * `faultline.annotation` for the dashboard's charts.
 */
import type { Span } from '@opentelemetry/api';
import { z } from 'zod';
import { SERVICE_NAMES, type ServiceName } from './config';
import { InjectedFaultError, InvalidRequestError, UnknownFaultFlagError } from './errors';

interface FlagDefinition {
  description: string;
  /** For slowdown flags: how long an affected call is held. */
  delayMs?: number;
}

export const FAULT_FLAGS = {
  paymentProviderFailure: {
    description: 'The payment provider answers 503 to a share of charge requests (transient: retried, then trips the breaker).',
  },
  paymentProviderSlowdown: {
    description: 'The payment provider takes 2 s to answer a share of charges, beyond payment\'s 800 ms timeout.',
    delayMs: 2000,
  },
  inventorySlowdown: {
    description: 'Inventory holds a share of its API requests for 1.5 s, beyond its callers\' timeouts.',
    delayMs: 1500,
  },
  inventoryFailure: {
    description: 'Inventory answers 503 to a share of its API requests.',
  },
  userServiceDown: {
    description: 'User answers 503 to a share of its API requests; the gateway serves cached tokens and profiles.',
  },
  notificationProviderFailure: {
    description: 'The email, SMS and push providers fail a share of sends; messages stay pending and are re-sent later.',
  },
  // Misconfigurations: each makes a share of calls run with a resilience setting Faultline's findings
  // should catch (docs/resilience-telemetry.md has the attributes they read).
  gatewayTimeoutInversion: {
    description: 'Misconfiguration: the gateway gives up on order after 10 ms, less than a checkout takes; order goes on working for nobody.',
  },
  orderRetryStorm: {
    description: 'Misconfiguration: order retries inventory up to 10 times with no backoff and no breaker in the way (a retry storm with inventoryFailure).',
  },
  paymentUnguardedCall: {
    description: 'Misconfiguration: payment calls the payment provider without its guard (no timeout, breaker, bulkhead or fallback).',
  },
} as const satisfies Record<string, FlagDefinition>;

export type FaultFlagName = keyof typeof FAULT_FLAGS;
export const FAULT_FLAG_NAMES = Object.keys(FAULT_FLAGS) as FaultFlagName[];

const FAULT_ATTRIBUTE = 'faultline.fault';

const flagValue = z.union([
  z.boolean().transform((on) => (on ? 1 : 0)),
  z.number().min(0, 'a probability is at least 0').max(1, 'a probability is at most 1'),
]);

const updateSchema = z.object({
  flags: z.record(z.string(), flagValue),
  forSeconds: z.number().positive().max(24 * 3600).optional(),
});

export interface FlagUpdate {
  flags: Partial<Record<FaultFlagName, number>>;
  forSeconds?: number;
}

/** The service a flag acts in: the one its name starts with. */
export function flagOwner(name: FaultFlagName): ServiceName | undefined {
  return SERVICE_NAMES.find((service) => name.startsWith(service));
}

/** How a change reads on a chart: `inventoryFailure on`, `inventoryFailure 25% for 60 s`, `inventoryFailure off`. */
export function annotationText(name: FaultFlagName, value: number, forSeconds?: number): string {
  const state = value === 0 ? 'off' : value === 1 ? 'on' : `${Math.round(value * 1000) / 10}%`;
  return `${name} ${state}${value > 0 && forSeconds !== undefined ? ` for ${forSeconds} s` : ''}`;
}

export function isFaultFlagName(name: string): name is FaultFlagName {
  return Object.hasOwn(FAULT_FLAGS, name);
}

/** Validates a `POST /admin/flags` body; an unknown flag name is refused, never ignored. */
export function parseFlagUpdate(body: unknown): FlagUpdate {
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidRequestError(
      'Expected {"flags": {"<flag>": <probability 0..1 | boolean>}, "forSeconds"?: <number>}.',
      parsed.error.issues,
    );
  }
  const flags: Partial<Record<FaultFlagName, number>> = {};
  for (const [name, value] of Object.entries(parsed.data.flags)) {
    if (!isFaultFlagName(name)) throw new UnknownFaultFlagError(name, FAULT_FLAG_NAMES);
    flags[name] = value;
  }
  return { flags, forSeconds: parsed.data.forSeconds };
}

/** The flag values of one process. */
export class FaultFlags {
  private readonly values = new Map<FaultFlagName, number>();
  private readonly resetTimers = new Map<FaultFlagName, NodeJS.Timeout>();

  constructor(
    private readonly random: () => number = Math.random,
    private readonly onChange?: (name: FaultFlagName, value: number, forSeconds?: number) => void,
  ) {}

  apply(update: FlagUpdate): void {
    for (const [name, value] of Object.entries(update.flags) as [FaultFlagName, number][]) {
      this.set(name, value, update.forSeconds);
    }
  }

  set(name: FaultFlagName, probability: number, forSeconds?: number): void {
    clearTimeout(this.resetTimers.get(name));
    this.resetTimers.delete(name);
    const changed = this.get(name) !== probability;
    this.values.set(name, probability);
    if (changed) this.onChange?.(name, probability, forSeconds);
    if (forSeconds !== undefined && probability > 0) {
      // unref: a pending reset must not keep a stopping process alive.
      const timer = setTimeout(() => this.set(name, 0), forSeconds * 1000).unref();
      this.resetTimers.set(name, timer);
    }
  }

  get(name: FaultFlagName): number {
    return this.values.get(name) ?? 0;
  }

  /** Rolls the dice for this call; when the fault fires, tags `span`. */
  fires(name: FaultFlagName, span?: Span): boolean {
    const probability = this.get(name);
    const fired = probability > 0 && this.random() < probability;
    if (fired) span?.setAttribute(FAULT_ATTRIBUTE, name);
    return fired;
  }

  /** Throws the injected failure when the flag fires. */
  failIfFired(name: FaultFlagName, span?: Span): void {
    if (this.fires(name, span)) throw new InjectedFaultError(name);
  }

  /** Holds the call for the flag's delay when the flag fires. */
  async delayIfFired(name: FaultFlagName, span?: Span): Promise<void> {
    const definition: FlagDefinition = FAULT_FLAGS[name];
    if (definition.delayMs !== undefined && this.fires(name, span)) {
      await new Promise((resolve) => setTimeout(resolve, definition.delayMs));
    }
  }

  snapshot(): Array<{ name: FaultFlagName; description: string; value: number }> {
    return FAULT_FLAG_NAMES.map((name) => ({ name, description: FAULT_FLAGS[name].description, value: this.get(name) }));
  }

  dispose(): void {
    for (const timer of this.resetTimers.values()) clearTimeout(timer);
    this.resetTimers.clear();
  }
}
