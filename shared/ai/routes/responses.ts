import { ErrorSchema, errorResponses } from '../../http/schemas.ts';
import type { AiOutcome } from '../pipeline.ts';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** The error responses of every AI operation. */
export const aiErrorResponses = {
  ...errorResponses,
  429: error('The shared rate limit or the provider said wait (see Retry-After)'),
  502: error('The provider failed, or answered twice with something that breaks the schema'),
  504: error('The provider did not answer in time'),
} as const;

/** The JSON body of a served result. */
export function outcomeBody<T>(outcome: AiOutcome<T>) {
  return {
    result: outcome.result,
    provider: outcome.provider,
    model: outcome.model,
    cached: outcome.cached,
    usage: { tokensIn: outcome.usage.tokensIn, tokensOut: outcome.usage.tokensOut },
    costUsd: outcome.costUsd,
    latencyMs: outcome.latencyMs,
  };
}
