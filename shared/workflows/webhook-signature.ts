// Webhook signing scheme of notification steps (documented in shared/workflows/README.md):
//   X-Webhook-Id:          a stable delivery id (the notification's id); repeated deliveries carry the same id
//   X-Signature-Timestamp: Unix seconds when this delivery was signed
//   X-Signature:           v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
// A receiver recomputes the HMAC over the raw body, compares in constant time, rejects timestamps older than
// its tolerance (replays), and ignores an X-Webhook-Id it has already processed (redeliveries).

const WEBHOOK_ID_HEADER = 'X-Webhook-Id';
const TIMESTAMP_HEADER = 'X-Signature-Timestamp';
const SIGNATURE_HEADER = 'X-Signature';
const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The `X-Signature` value for a body signed at `timestamp` (Unix seconds): `v1=<hex>`. */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  return `v1=${await hmacHex(secret, `${timestamp}.${body}`)}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface VerifyInput {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** What a receiver runs: true only for a fresh timestamp and a matching v1 signature. */
export async function verifyWebhook(input: VerifyInput): Promise<boolean> {
  const timestamp = Number(input.timestamp);
  if (!input.timestamp || !Number.isInteger(timestamp) || !input.signature) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = await signWebhook(input.secret, timestamp, input.body);
  return input.signature
    .split(',')
    .map((part) => part.trim())
    .some((candidate) => constantTimeEqual(candidate, expected));
}

/** Headers for one delivery: id, timestamp and signature, plus the JSON content type. */
export async function webhookHeaders(
  secret: string,
  deliveryId: string,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Record<string, string>> {
  return {
    'Content-Type': 'application/json',
    [WEBHOOK_ID_HEADER]: deliveryId,
    [TIMESTAMP_HEADER]: String(nowSeconds),
    [SIGNATURE_HEADER]: await signWebhook(secret, nowSeconds, body),
  };
}
