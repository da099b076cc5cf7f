import { describe, expect, it } from 'vitest';
import { trustedProxies } from './trustedProxies';

describe('trusted proxy addresses', () => {
  const trusted = trustedProxies(['10.0.3.7', '192.168.0.0/16', 'fd00:1::/64']);

  it('matches single addresses and CIDR blocks of both families', () => {
    expect(['10.0.3.7', '192.168.200.1', 'fd00:1::42'].map(trusted)).toEqual([true, true, true]);
    expect(['10.0.3.8', '192.169.0.1', 'fd00:2::42', '127.0.0.1'].map(trusted)).toEqual([false, false, false, false]);
  });

  it('matches an IPv4 proxy seen through a dual-stack socket as ::ffff:a.b.c.d', () => {
    expect(trusted('::ffff:10.0.3.7')).toBe(true);
    expect(trusted('::ffff:10.0.3.9')).toBe(false);
  });

  it('trusts nothing for a socket without an address', () => {
    expect(trusted(undefined)).toBe(false);
  });
});
