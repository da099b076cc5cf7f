import { describe, expect, it } from 'vitest';
import { parseSloFile } from './definitions';

const valid = `
webhooks:
  - url: http://127.0.0.1:9000/hook
slos:
  - id: checkout-availability
    service: gateway
    operation: POST /api/orders
    objective: availability
    target: 99.9
    window: 30d
  - id: payment-latency
    service: payment
    objective: latency
    thresholdMs: 500
    target: 99
    window: 12h
`;

const refusal = (text: string) => {
  try {
    parseSloFile(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
};

const withSlo = (fields: string) => `slos:\n  - id: s\n    service: gateway\n${fields}`;

describe('parseSloFile', () => {
  it('reads availability and latency SLOs with their windows in milliseconds', () => {
    const file = parseSloFile(valid);
    expect(file.webhooks).toEqual([{ url: 'http://127.0.0.1:9000/hook' }]);
    expect(file.slos[0]).toEqual({
      id: 'checkout-availability',
      name: 'checkout-availability',
      service: 'gateway',
      operation: 'POST /api/orders',
      objective: 'availability',
      target: 99.9,
      window: 30 * 86_400_000,
    });
    expect(file.slos[1]).toMatchObject({ objective: 'latency', thresholdMs: 500, window: 12 * 3_600_000 });
  });

  it('names the field of a target out of range', () => {
    expect(refusal(withSlo('    objective: availability\n    target: 100\n    window: 30d'))).toBe('faultline.slo.yaml: slos[0].target: must be below 100');
  });

  it('names a missing threshold of a latency SLO', () => {
    expect(refusal(withSlo('    objective: latency\n    target: 99\n    window: 7d'))).toMatch(/slos\[0\]\.thresholdMs: is required for a latency SLO/);
  });

  it('names a threshold that is not a bucket boundary', () => {
    expect(refusal(withSlo('    objective: latency\n    thresholdMs: 300\n    target: 99\n    window: 7d'))).toMatch(/slos\[0\]\.thresholdMs: must be one of 1, 2, 5/);
  });

  it('names a malformed window, an unknown objective and an unknown field', () => {
    expect(refusal(withSlo('    objective: availability\n    target: 99\n    window: 30 days'))).toMatch(/slos\[0\]\.window: must be a duration/);
    expect(refusal(withSlo('    objective: uptime\n    target: 99\n    window: 30d'))).toMatch(/slos\[0\]\.objective: must be availability or latency/);
    expect(refusal(withSlo('    objective: availability\n    target: 99\n    window: 30d\n    traget: 98'))).toMatch(/slos\[0\]/);
  });

  it('names a repeated id and a bad webhook URL', () => {
    const twice = `slos:\n${['a', 'a'].map((id) => `  - { id: ${id}, service: s, objective: availability, target: 99, window: 1d }`).join('\n')}`;
    expect(refusal(twice)).toMatch(/slos\[1\]\.id: repeats the id a/);
    expect(refusal(`webhooks:\n  - url: ftp://x\nslos: []`)).toMatch(/webhooks\[0\]\.url: must be an http or https URL/);
  });

  it('refuses text that is not YAML', () => {
    expect(refusal('slos: [')).toMatch(/not valid YAML/);
  });
});
