import { describe, expect, it } from 'vitest';
import { InjectedFaultError, InvalidRequestError, UnknownFaultFlagError } from './errors';
import { FAULT_FLAG_NAMES, FaultFlags, annotationText, flagOwner, parseFlagUpdate } from './faultFlags';

describe('fault flags', () => {
  it('are all off by default, each with a description', () => {
    const flags = new FaultFlags();
    for (const flag of flags.snapshot()) {
      expect(flag.value).toBe(0);
      expect(flag.description.length).toBeGreaterThan(10);
    }
    expect(FAULT_FLAG_NAMES).toContain('paymentProviderFailure');
  });

  it('refuse an unknown flag with a message that lists the known ones', () => {
    const error = (() => {
      try {
        parseFlagUpdate({ flags: { paymentFailure: 1 } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownFaultFlagError);
    expect((error as UnknownFaultFlagError).status).toBe(400);
    expect((error as Error).message).toMatch(/Unknown fault flag "paymentFailure".*paymentProviderFailure/);
  });

  it('refuse a probability outside 0..1', () => {
    expect(() => parseFlagUpdate({ flags: { inventorySlowdown: 1.5 } })).toThrow(InvalidRequestError);
  });

  it('accept booleans as probability 1 or 0', () => {
    expect(parseFlagUpdate({ flags: { userServiceDown: true, inventoryFailure: false } }).flags).toEqual({ userServiceDown: 1, inventoryFailure: 0 });
  });

  it('fire according to their probability on every call', () => {
    const rolls = [0.1, 0.6];
    const flags = new FaultFlags(() => rolls.shift()!);
    flags.set('paymentProviderFailure', 0.5);
    expect(flags.fires('paymentProviderFailure')).toBe(true);
    expect(flags.fires('paymentProviderFailure')).toBe(false);
  });

  it('throw an injected fault when a failure flag fires', () => {
    const flags = new FaultFlags();
    flags.set('userServiceDown', 1);
    expect(() => flags.failIfFired('userServiceDown')).toThrow(InjectedFaultError);
  });

  it('switch themselves off after forSeconds', async () => {
    const flags = new FaultFlags();
    flags.apply(parseFlagUpdate({ flags: { inventoryFailure: 1 }, forSeconds: 0.05 }));
    expect(flags.get('inventoryFailure')).toBe(1);
    const deadline = Date.now() + 2000;
    while (flags.get('inventoryFailure') !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(flags.get('inventoryFailure')).toBe(0);
  });
});

describe('fault flag annotations', () => {
  it('announce each change once, the timed switch-off included', async () => {
    const changes: string[] = [];
    const flags = new FaultFlags(Math.random, (name, value, forSeconds) => changes.push(annotationText(name, value, forSeconds)));
    flags.apply({ flags: { inventoryFailure: 1 } });
    flags.apply({ flags: { inventoryFailure: 1 } });
    flags.apply({ flags: { paymentProviderFailure: 0.25 }, forSeconds: 0.05 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    flags.apply({ flags: { inventoryFailure: 0 } });
    expect(changes).toEqual(['inventoryFailure on', 'paymentProviderFailure 25% for 0.05 s', 'paymentProviderFailure off', 'inventoryFailure off']);
    flags.dispose();
  });

  it('belong to the service each flag names', () => {
    expect(FAULT_FLAG_NAMES.filter((name) => flagOwner(name) === undefined)).toEqual([]);
    expect(flagOwner('paymentProviderFailure')).toBe('payment');
    expect(flagOwner('userServiceDown')).toBe('user');
    expect(flagOwner('gatewayTimeoutInversion')).toBe('gateway');
  });
});
