import { describe, expect, it } from 'vitest';
import { DEFAULT_OPENAI_MODEL, loadAiConfig } from '../../shared/ai/config.ts';
import { isPriced } from '../../shared/ai/pricing.ts';

describe('AI configuration', () => {
  it('picks OpenAI in auto mode when an API key is set, and the local models otherwise', () => {
    expect(loadAiConfig({ OPENAI_API_KEY: 'sk-x' }).provider).toBe('openai');
    expect(loadAiConfig({}).provider).toBe('local');
    expect(loadAiConfig({ OPENAI_API_KEY: '' }).provider).toBe('local');
    expect(loadAiConfig({ AI_PROVIDER: 'local', OPENAI_API_KEY: 'sk-x' }).provider).toBe('local');
  });

  it('defaults to a model the price table knows', () => {
    const config = loadAiConfig({ OPENAI_API_KEY: 'sk-x' });
    expect(config.openai?.model).toBe(DEFAULT_OPENAI_MODEL);
    expect(isPriced(DEFAULT_OPENAI_MODEL)).toBe(true);
  });

  it('reads the model, token cap, base URL and limits from the environment', () => {
    const config = loadAiConfig({
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.1',
      OPENAI_MAX_TOKENS: '512',
      AI_RATE_LIMIT_RPM: '60',
    });
    expect(config.openai).toMatchObject({
      model: 'llama3.1',
      maxTokens: 512,
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(config.rateLimit.requestsPerMinute).toBe(60);
  });

  it('refuses AI_PROVIDER=openai with neither a key nor a compatible server', () => {
    expect(() => loadAiConfig({ AI_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });

  it('names an invalid variable without echoing its value', () => {
    expect(() => loadAiConfig({ OPENAI_MAX_TOKENS: 'lots' })).toThrow(/OPENAI_MAX_TOKENS$/);
  });
});
