import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';

const base = { DATABASE_URL: 'postgres://x', JWT_SECRET: 'x'.repeat(32) };

describe('Attendee configuration', () => {
  it('defaults to Attendee’s hosted API and no key (bots are then recorded as not sent)', () => {
    expect(loadConfig(base).attendee).toEqual({
      apiKey: undefined,
      baseUrl: 'https://app.attendee.dev/api/v1',
      webhookSecret: undefined,
    });
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({
      ...base,
      ATTENDEE_API_KEY: '',
      ATTENDEE_BASE_URL: '',
      ATTENDEE_WEBHOOK_SECRET: '',
    });
    expect(config.attendee).toMatchObject({ apiKey: undefined, baseUrl: 'https://app.attendee.dev/api/v1' });
  });

  it('takes a self-hosted base URL, and refuses one that is not a URL without echoing it', () => {
    expect(loadConfig({ ...base, ATTENDEE_BASE_URL: 'https://bots.acme.test/api/v1' }).attendee.baseUrl).toBe(
      'https://bots.acme.test/api/v1',
    );
    expect(() => loadConfig({ ...base, ATTENDEE_BASE_URL: 'not a url' })).toThrow(/ATTENDEE_BASE_URL$/);
  });
});
