// Prices come from @pydantic/genai-prices: Pydantic's maintained price catalogue of LLM APIs (per-model input,
// cached input and output prices, with their history), bundled in the package, so no network is needed.
// Upgrading the package updates the prices. A model the catalogue does not know (a self-hosted model behind
// OPENAI_BASE_URL) costs 0.
import { calcPrice } from '@pydantic/genai-prices';
import type { Usage } from './errors.ts';

/** The USD cost of a call, rounded to the 6 decimals `ai_processing_logs.cost_usd` keeps. */
export function costUsd(provider: string, model: string, usage: Usage, at = new Date()): number {
  if (provider !== 'openai' || (usage.tokensIn === 0 && usage.tokensOut === 0)) return 0;
  const price = calcPrice(
    {
      input_tokens: usage.tokensIn,
      output_tokens: usage.tokensOut,
      cache_read_tokens: Math.min(usage.cachedTokensIn ?? 0, usage.tokensIn),
    },
    model,
    { providerId: 'openai', timestamp: at },
  );
  return price ? Math.round(price.total_price * 1e6) / 1e6 : 0;
}

/** True when the price catalogue knows the model (else its calls are logged at cost 0). */
export function isPriced(model: string): boolean {
  return calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: 'openai' }) !== null;
}
