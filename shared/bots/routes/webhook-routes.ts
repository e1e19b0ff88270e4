import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createRouter } from '../../http/app.ts';
import { AppError } from '../../http/errors.ts';
import { ErrorSchema } from '../../http/schemas.ts';
import { WebhookResultSchema } from '../api-schemas.ts';
import type { BotsDeps } from '../deps.ts';
import { receiveAttendeeWebhook } from '../webhooks.ts';

/** The route Attendee calls; it carries no project token, so the app exempts it and it checks the signature. */
export const ATTENDEE_WEBHOOK_PATH = '/webhooks/attendee';

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** `POST /bots/webhooks/attendee`: Attendee's signed webhooks (bot state changes). */
export function webhookRoutes(deps: BotsDeps, secret: string | undefined) {
  const app = createRouter();
  const route = createRoute({
    method: 'post',
    path: ATTENDEE_WEBHOOK_PATH,
    summary: "Attendee's webhooks, authenticated by X-Webhook-Signature (no bearer token)",
    description:
      'Signature: base64(HMAC-SHA256(base64-decoded ATTENDEE_WEBHOOK_SECRET, JSON of the parsed body with keys ' +
      'sorted and no spaces)). A repeated idempotency_key is acknowledged and ignored.',
    security: [],
    request: { headers: z.object({ 'x-webhook-signature': z.string().optional() }) },
    responses: {
      200: { description: 'Accepted', content: { 'application/json': { schema: WebhookResultSchema } } },
      400: { description: 'Not JSON, or not an Attendee webhook', content: errorContent },
      401: { description: 'Missing or invalid signature', content: errorContent },
      413: { description: 'Body over 1 MB', content: errorContent },
      503: {
        description:
          'ATTENDEE_WEBHOOK_SECRET is not configured, or the database is unavailable (Retry-After)',
        content: errorContent,
      },
    },
  });
  app.openapi(
    {
      ...route,
      middleware: [
        bodyLimit({
          maxSize: 1024 * 1024,
          onError: () => {
            throw new AppError(413, 'payload_too_large', 'The webhook body is over 1 MB');
          },
        }),
      ] as const,
    },
    async (c) => {
      const result = await receiveAttendeeWebhook(
        { db: deps.db, secret },
        await c.req.text(),
        c.req.header('X-Webhook-Signature'),
      );
      if (result.status !== 'duplicate') c.get('logger').info('attendee webhook', { status: result.status });
      return c.json(result, 200);
    },
  );
  return app;
}
