// Where a notification webhook may be delivered: only to public addresses, so a workflow definition cannot make
// the worker call the database, the metadata service (169.254.169.254) or anything else on the private network
// (server-side request forgery). Hosts named in WEBHOOK_ALLOWED_HOSTS may be private (an internal receiver).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to every address it has. */
export type ResolveHost = (host: string) => Promise<string[]>;

const resolveAll: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** The target is not allowed; the message says why and is safe to show to the workflow's owner. */
export class WebhookTargetError extends Error {
  /** False when trying again may help (the name did not resolve). */
  readonly permanent: boolean;
  constructor(message: string, permanent = true) {
    super(message);
    this.name = 'WebhookTargetError';
    this.permanent = permanent;
  }
}

// [first address, prefix length] of the IPv4 ranges that are not the public internet (RFC 6890 and friends).
const PRIVATE_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function isPrivateV4(address: string): boolean {
  const value = v4ToNumber(address);
  return PRIVATE_V4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToNumber(base);
    return value >= start && value < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail becomes the last two). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const v4Tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail) {
    const value = v4ToNumber(v4Tail[1]!);
    text = `${text.slice(0, -v4Tail[1]!.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<number>(zeros).fill(0), ...right];
}

function isPrivateV6(address: string): boolean {
  const g = v6Groups(address);
  const embeddedV4 = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  if (g.slice(0, 7).every((group) => group === 0)) return true; // :: and ::1 (and the old IPv4-compatible form)
  if (g.slice(0, 5).every((group) => group === 0) && g[5] === 0xffff) return isPrivateV4(embeddedV4()); // mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0))
    return isPrivateV4(embeddedV4()); // NAT64
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8) || // documentation
    (first === 0x0100 && g.slice(1, 4).every((group) => group === 0)) // discard-only 100::/64
  );
}

/** Whether an IP address (v4 or v6) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !isPrivateV4(address);
  if (family === 6) return !isPrivateV6(address);
  return false;
}

/**
 * The host of a webhook URL that is private on its face (an IP literal off the public internet, or localhost),
 * unless allowed; undefined otherwise. For refusing a definition when it is saved; names that resolve to
 * private addresses are caught at delivery by `assertPublicTarget`.
 */
export function literalPrivateHost(url: string, allowedHosts: readonly string[]): string | undefined {
  const host = hostOf(url);
  if (allowedHosts.includes(host)) return undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return host;
  return isIP(host) && !isPublicAddress(host) ? host : undefined;
}

/** The URL's host name, lower-case, an IPv6 literal without its brackets. */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Resolves the webhook URL's host and refuses it unless every address it has is public, or the host is in
 * `allowedHosts`. (A host re-resolving to another address between this check and the request is not caught;
 * a deployment that needs that guarantee sends webhooks through an egress proxy.)
 */
export async function assertPublicTarget(
  url: string,
  allowedHosts: readonly string[],
  resolve: ResolveHost = resolveAll,
): Promise<void> {
  const host = hostOf(url);
  if (allowedHosts.includes(host)) return;
  const hint = 'only public addresses are allowed (WEBHOOK_ALLOWED_HOSTS lists exceptions)';
  if (literalPrivateHost(url, allowedHosts))
    throw new WebhookTargetError(`the webhook host ${host} is private: ${hint}`);
  if (isIP(host)) return;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new WebhookTargetError(`the webhook host ${host} does not resolve`, false);
  }
  const blocked = addresses.find((address) => !isPublicAddress(address));
  if (addresses.length === 0 || blocked)
    throw new WebhookTargetError(`the webhook host ${host} resolves to a private address: ${hint}`);
}
