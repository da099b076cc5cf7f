import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '@/lib/errors';
import { parseSloFile, SloDefinitionError } from './definitions';
import { addSloEntry, removeSloEntry, replaceSloEntry, replaceWebhooks } from './sloDocument';

const original = `# The shop's SLOs.
webhooks: []
slos:
  # Checkout is what pays.
  - id: checkout-availability
    name: Checkout payments are charged
    service: payment
    objective: availability
    target: 99.9
    window: 7d
  - id: gateway-latency # fast enough
    service: gateway
    objective: latency
    thresholdMs: 500
    target: 99
    window: 30d
`;

const latency = { id: 'order-latency', name: 'Orders are quick', service: 'order', operation: 'POST /orders', objective: 'latency', thresholdMs: 250, target: 99.5, window: '12h' };

let dir: string;
let file: string;
const text = () => readFileSync(file, 'utf8');

const refusal = (edit: () => unknown): SloDefinitionError => {
  try {
    edit();
  } catch (error) {
    if (error instanceof SloDefinitionError) return error;
    throw error;
  }
  throw new Error('the edit was accepted');
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-slo-doc-'));
  file = join(dir, 'faultline.slo.yaml');
  writeFileSync(file, original);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('editing the SLO file one SLO at a time', () => {
  it('adds an SLO after the others, its fields in the file’s order, and keeps the comments', () => {
    const saved = addSloEntry(file, latency);
    expect(saved.slos.map((slo) => slo.id)).toEqual(['checkout-availability', 'gateway-latency', 'order-latency']);
    expect(text()).toBe(
      `${original}  - id: order-latency\n    name: Orders are quick\n    service: order\n    operation: POST /orders\n    objective: latency\n    thresholdMs: 250\n    target: 99.5\n    window: 12h\n`,
    );
  });

  it('writes blank optional fields as absent', () => {
    addSloEntry(file, { id: 'user-availability', name: '', service: 'user', operation: '', objective: 'availability', target: 99, window: '30d' });
    expect(parseSloFile(text()).slos[2]).toEqual({ id: 'user-availability', name: 'user-availability', service: 'user', objective: 'availability', target: 99, window: 30 * 86_400_000 });
  });

  it('creates the file when there is none', () => {
    rmSync(file);
    addSloEntry(file, latency);
    expect(parseSloFile(text()).slos.map((slo) => slo.id)).toEqual(['order-latency']);
    expect(text()).toMatch(/^slos:\n {2}- id: order-latency\n/);
  });

  it('names every wrong field of the SLO and leaves the file as it was', () => {
    const error = refusal(() => addSloEntry(file, { ...latency, target: 100, thresholdMs: 300, window: '30 days' }));
    expect(error.fields).toEqual({ target: 'must be below 100', thresholdMs: expect.stringMatching(/^must be one of 1, 2, 5/), window: 'must be a duration like 30d, 7d or 12h' });
    expect(text()).toBe(original);
  });

  it('refuses an id that is taken, naming the id', () => {
    const error = refusal(() => addSloEntry(file, { ...latency, id: 'gateway-latency' }));
    expect(error.fields).toEqual({ id: 'an SLO with this id exists already' });
    expect(error.message).toBe('id: an SLO with the id gateway-latency exists already');
  });

  it('refuses an id the API uses for something else', () => {
    expect(refusal(() => addSloEntry(file, { ...latency, id: 'webhooks' })).fields).toEqual({ id: 'must not be file or webhooks: the API uses those names' });
  });

  it('replaces an SLO in place, keeping the comments around it', () => {
    replaceSloEntry(file, 'gateway-latency', { id: 'gateway-latency', service: 'gateway', objective: 'latency', thresholdMs: 1000, target: 99.5, window: '7d' });
    expect(text()).toBe(original.replace('thresholdMs: 500\n    target: 99\n    window: 30d', 'thresholdMs: 1000\n    target: 99.5\n    window: 7d'));
  });

  it('puts a field the SLO gains in its place and drops one it loses', () => {
    replaceSloEntry(file, 'gateway-latency', { id: 'gateway-latency', service: 'gateway', operation: 'GET /', objective: 'availability', target: 99, window: '30d' });
    expect(text()).toBe(original.replace('service: gateway\n    objective: latency\n    thresholdMs: 500\n', 'service: gateway\n    operation: GET /\n    objective: availability\n'));
  });

  it('keeps the id of the SLO it replaces', () => {
    const error = refusal(() => replaceSloEntry(file, 'gateway-latency', { ...latency, id: 'gateway-speed' }));
    expect(error.fields).toEqual({ id: "can't change; add a new SLO and delete this one" });
  });

  it('says which SLO is unknown when asked to replace or remove one that is not in the file', () => {
    expect(() => replaceSloEntry(file, 'nope', { ...latency, id: 'nope' })).toThrow(new NotFoundError('no SLO nope in faultline.slo.yaml'));
    expect(() => removeSloEntry(file, 'nope')).toThrow(NotFoundError);
  });

  it('removes an SLO and nothing else', () => {
    const saved = removeSloEntry(file, 'gateway-latency');
    expect(saved.slos.map((slo) => slo.id)).toEqual(['checkout-availability']);
    expect(text()).toBe(original.slice(0, original.indexOf('  - id: gateway-latency')));
  });

  it('refuses to edit a file that is itself refused, with its own complaint', () => {
    writeFileSync(file, original.replace('target: 99\n', 'target: 101\n'));
    expect(refusal(() => addSloEntry(file, latency)).message).toMatch(/slos\[1\]\.target: must be below 100$/);
  });
});

describe('editing the webhooks of the SLO file', () => {
  it('replaces the webhook list', () => {
    const saved = replaceWebhooks(file, [{ url: 'https://hooks.example/a', headers: { authorization: 'Bearer x' } }]);
    expect(saved.webhooks).toEqual([{ url: 'https://hooks.example/a', headers: { authorization: 'Bearer x' } }]);
    expect(parseSloFile(text()).slos).toHaveLength(2);
  });

  it('names the URL of the webhook that is wrong', () => {
    const error = refusal(() => replaceWebhooks(file, [{ url: 'https://hooks.example/a' }, { url: 'ftp://x' }]));
    expect(error.fields).toEqual({ 'webhooks[1].url': 'must be an http or https URL' });
    expect(text()).toBe(original);
  });
});
