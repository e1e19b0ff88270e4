import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';

describe('configuration', () => {
  it('uses SUPABASE_DB_URL and derives the JWKS URL from SUPABASE_URL on Supabase', () => {
    const config = loadConfig({ SUPABASE_DB_URL: 'postgres://x', SUPABASE_URL: 'https://abc.supabase.co' });
    expect(config.databaseUrl).toBe('postgres://x');
    expect(config.jwksUrl).toBe('https://abc.supabase.co/auth/v1/.well-known/jwks.json');
  });

  it('refuses to start without a way to verify tokens', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/JWT_SECRET or SUPABASE_URL/);
  });

  it('names the invalid variable without echoing its value', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x', JWT_SECRET: 'short-secret' })).toThrow(
      /JWT_SECRET$/,
    );
  });
});
