// Where a notification webhook may be delivered: only to public addresses, so a workflow definition cannot make
// the worker call the database, the metadata service (169.254.169.254) or anything else on the private network
// (server-side request forgery). Hosts named in WEBHOOK_ALLOWED_HOSTS may be private (an internal receiver).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

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

// Addresses are classified by ipaddr.js (its RFC special-purpose ranges); only its plain `unicast` range counts
// as public. IPv6 forms that carry an IPv4 address inside (mapped, translated, NAT64, 6to4, Teredo) are public
// only when every embedded IPv4 address is; the IPv4-compatible form (::a.b.c.d) and local-use NAT64
// (64:ff9b:1::/48) are refused whatever they embed.

const v4 = (high: number, low: number) =>
  ipaddr.IPv4.parse(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);

function isPublicV4(address: ipaddr.IPv4): boolean {
  return address.range() === 'unicast';
}

/** The IPv4 addresses an IPv6 address leads to, or undefined when it is not a form that embeds one. */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const g = address.parts;
  switch (address.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return [v4(g[6]!, g[7]!)];
    case 'rfc6052': // 64:ff9b::a.b.c.d; the local-use 64:ff9b:1::/48 has no fixed layout: refused below
      return g[2] === 0 ? [v4(g[6]!, g[7]!)] : [];
    case '6to4': // 2002:AABB:CCDD::/48
      return [v4(g[1]!, g[2]!)];
    case 'teredo': // 2001:0:server:server:flags:port:~client:~client
      return [v4(g[2]!, g[3]!), v4(g[6]! ^ 0xffff, g[7]! ^ 0xffff)];
    default:
      return undefined;
  }
}

function isPublicV6(address: ipaddr.IPv6): boolean {
  const embedded = embeddedV4(address);
  if (embedded) return embedded.length > 0 && embedded.every(isPublicV4);
  // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) and every other address in ::/96.
  if (address.parts.slice(0, 6).every((group) => group === 0)) return false;
  return address.range() === 'unicast';
}

/** Whether an IP address (v4 or v6, in any notation ipaddr.js reads) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  let text = address.split('%')[0]!;
  if (!ipaddr.isValid(text)) return false;
  // ipaddr.js reads a dotted tail as IPv4-mapped even without ffff (::8.8.8.8); the URL parser writes the
  // address in plain hex groups first (::808:808), which is what the socket would connect to.
  if (text.includes(':')) text = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const parsed = ipaddr.parse(text);
  return parsed.kind() === 'ipv4' ? isPublicV4(parsed as ipaddr.IPv4) : isPublicV6(parsed as ipaddr.IPv6);
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
