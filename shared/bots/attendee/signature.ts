// Attendee signs `base64(HMAC-SHA256(base64decode(secret), canonical))`, where canonical is Python's
// `json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` of the parsed body. Reproducing
// that exactly means keeping each number as Python would print it, so the body is parsed with its number sources.

/** A JSON number kept as its source text, so it can be printed the way Python prints it. */
class JsonNumber {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses a webhook body keeping number sources (throws SyntaxError on invalid JSON). */
export function parseSignedJson(text: string): unknown {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined ? new JsonNumber(context.source) : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** Replaces kept number sources by plain numbers (for validation and storage). */
export function plainJson(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.source);
  if (Array.isArray(value)) return value.map(plainJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainJson(item)]));
  }
  return value;
}

// Python's repr(float): shortest round-trip digits, exponent form when the exponent is below -4 or above 15.
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

function pythonNumber(source: string): string {
  // Python parses a number without a fraction or exponent as an int (any size) and prints it back as is.
  if (/^-?\d+$/.test(source)) return BigInt(source).toString();
  return pythonFloat(Number(source));
}

// Python sorts dict keys by code point; JavaScript's default sort compares UTF-16 code units.
function byCodePoint(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** The canonical form Attendee signs: keys sorted recursively, no spaces, non-ASCII kept as is. */
export function canonicalJson(value: unknown): string {
  if (value instanceof JsonNumber) return pythonNumber(value.source);
  if (typeof value === 'number') return pythonNumber(String(value));
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byCodePoint(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  throw new TypeError(`cannot canonicalize a ${typeof value}`);
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function hmacKey(secretBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    base64ToBytes(secretBase64),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

/** The `X-Webhook-Signature` Attendee sends for a parsed body (from `parseSignedJson`). */
export async function signWebhookBody(secretBase64: string, body: unknown): Promise<string> {
  const key = await hmacKey(secretBase64);
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(canonicalJson(body)));
  return bytesToBase64(new Uint8Array(signature));
}

/** True when `signature` is Attendee's signature of the parsed body; compared in constant time by WebCrypto. */
export async function verifyWebhookSignature(
  secretBase64: string,
  body: unknown,
  signature: string | undefined | null,
): Promise<boolean> {
  if (!signature) return false;
  let given: Uint8Array<ArrayBuffer>;
  try {
    given = base64ToBytes(signature);
  } catch {
    return false;
  }
  const key = await hmacKey(secretBase64);
  return crypto.subtle.verify('HMAC', key, given, new TextEncoder().encode(canonicalJson(body)));
}
