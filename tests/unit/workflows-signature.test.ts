import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffDelay, resolvePolicy } from '../../shared/workflows/retry-policy.ts';
import { signWebhook, verifyWebhook, webhookHeaders } from '../../shared/workflows/webhook-signature.ts';

const secret = 'whsec_0123456789abcdef';
const body = '{"id":"n1","title":"Done"}';

describe('webhook signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 as v1=<hex>', async () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(await signWebhook(secret, 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies a fresh signature and rejects a tampered body, a wrong secret and a replayed timestamp', async () => {
    const headers = await webhookHeaders(secret, 'n1', body, 1700000000);
    const input = {
      secret,
      body,
      timestamp: headers['X-Signature-Timestamp'],
      signature: headers['X-Signature'],
      nowSeconds: 1700000100,
    };
    expect(headers['X-Webhook-Id']).toBe('n1');
    expect(await verifyWebhook(input)).toBe(true);
    expect(await verifyWebhook({ ...input, body: `${body} ` })).toBe(false);
    expect(await verifyWebhook({ ...input, secret: `${secret}x` })).toBe(false);
    expect(await verifyWebhook({ ...input, nowSeconds: 1700000000 + 301 })).toBe(false);
    expect(await verifyWebhook({ ...input, signature: null })).toBe(false);
  });
});

describe('retry policies', () => {
  it('takes the step type defaults and lets a step override them', () => {
    expect(resolvePolicy({ type: 'routing' }).attempts).toBe(1);
    expect(resolvePolicy({ type: 'notification', retry: { attempts: 2 }, timeoutSeconds: 5 })).toMatchObject({
      attempts: 2,
      timeoutSeconds: 5,
      backoffSeconds: 10,
    });
  });

  it('backs off exponentially up to the cap with at most 20% jitter', () => {
    const policy = { attempts: 5, backoffSeconds: 2, maxBackoffSeconds: 10, timeoutSeconds: 1 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(2);
    expect(backoffDelay(policy, 3, () => 0)).toBe(8);
    expect(backoffDelay(policy, 5, () => 0)).toBe(10);
    expect(backoffDelay(policy, 5, () => 1)).toBe(12);
  });
});
