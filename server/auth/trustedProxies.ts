/**
 * The addresses an authenticating proxy connects from, as a `BlockList` matched against the socket's
 * own remote address (never X-Forwarded-For, which any client can write). IPv4 blocks also match
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.5`), as a dual-stack listener reports them.
 */
import { BlockList, isIP } from 'node:net';

export function trustedProxies(entries: string[]): (remoteAddress: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (remoteAddress) => {
    const family = remoteAddress ? isIP(remoteAddress) : 0;
    return family !== 0 && list.check(remoteAddress!, family === 6 ? 'ipv6' : 'ipv4');
  };
}
