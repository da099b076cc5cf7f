import { describe, expect, it } from 'vitest';
import { draftFromSlo, entryFromDraft, formatThreshold, newSloDraft } from './sloDraft';

const latency = { id: 'gateway-latency', name: 'Gateway is quick', service: 'gateway', objective: 'latency', thresholdMs: 500, target: 99, windowMs: 36 * 3_600_000 } as const;

describe('the SLO form’s draft', () => {
  it('turns an SLO in force back into the entry the file holds', () => {
    expect(entryFromDraft(draftFromSlo(latency))).toEqual({ id: 'gateway-latency', name: 'Gateway is quick', service: 'gateway', operation: '', objective: 'latency', thresholdMs: 500, target: 99, window: '36h' });
  });

  it('shows a window of whole days in days', () => {
    expect(draftFromSlo({ ...latency, windowMs: 30 * 86_400_000 })).toMatchObject({ windowCount: '30', windowUnit: 'd' });
  });

  it('leaves an unnamed SLO unnamed', () => {
    expect(draftFromSlo({ ...latency, name: 'gateway-latency' }).name).toBe('');
  });

  it('sends no threshold for availability and leaves blank numbers for the API to name', () => {
    const entry = entryFromDraft({ ...newSloDraft, thresholdMs: '500', target: ' ', windowCount: '' });
    expect(entry).not.toHaveProperty('thresholdMs');
    expect(entry).toMatchObject({ objective: 'availability', target: undefined, window: 'd' });
  });

  it('reads thresholds in milliseconds below a second, else in seconds', () => {
    expect([formatThreshold(250), formatThreshold(1000), formatThreshold(2500)]).toEqual(['250 ms', '1 s', '2.5 s']);
  });
});
