import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** http(s) endpoints get POSTs; ws(s) endpoints get the same signed envelopes as frames (see websocket/). */
export const WEBHOOK_SCHEMES = ['http:', 'https:', 'ws:', 'wss:'];

/** Loopback, private, link-local, CGNAT, unspecified and multicast ranges: never reached unless allowed. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why `url` may not receive webhooks, or null. Resolves the host: a name pointing at a private address is refused too. */
export async function urlRefusal(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (!WEBHOOK_SCHEMES.includes(parsed.protocol)) return 'only http(s) and ws(s) URLs are accepted';
  if (parsed.username || parsed.password) return 'credentials in the URL are not accepted';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((all) => all.map((a) => a.address), () => null);
  if (!addresses || addresses.length === 0) return 'the host does not resolve';
  return addresses.some(isBlockedAddress) ? 'private, loopback and link-local addresses are not accepted' : null;
}
