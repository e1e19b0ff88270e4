import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuthSettings, loadAuthSettings } from '../../local/auth/config.ts';
import type { AuthError } from '../../local/auth/errors.ts';
import { checkPasswordStrength } from '../../local/auth/password.ts';
import { loadOrCreateSigningKey } from '../../local/auth/signing-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'auth-standin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Auth stand-in settings', () => {
  it('reads the [auth] settings of supabase/config.toml, with GoTrue’s issuer default', () => {
    const settings = loadAuthSettings('http://127.0.0.1:54321');
    expect(settings).toMatchObject({
      issuer: 'http://127.0.0.1:54321/auth/v1',
      jwtExpirySeconds: 3600,
      enableSignup: true,
      minimumPasswordLength: 6,
      refreshTokenRotation: true,
      refreshTokenReuseIntervalSeconds: 10,
    });
  });

  it('refuses email confirmations, which need mail the stand-in cannot send', () => {
    const path = join(dir, 'config.toml');
    writeFileSync(
      path,
      '[auth]\njwt_issuer = "https://issuer.test/auth/v1"\n[auth.email]\nenable_confirmations = true\n',
    );
    expect(() => loadAuthSettings('http://x', path)).toThrow(/supabase start/);
  });
});

describe('password strength (GoTrue checkPasswordStrength)', () => {
  const settings = {
    minimumPasswordLength: 8,
    passwordRequirements: 'lower_upper_letters_digits',
  } as AuthSettings;
  const reasons = (password: string) => {
    try {
      checkPasswordStrength(password, settings);
      return [];
    } catch (error) {
      return (error as AuthError).weakPasswordReasons ?? [(error as AuthError).code];
    }
  };

  it('names each reason a password is weak', () => {
    expect(reasons('Abcdefg1')).toEqual([]);
    expect(reasons('Ab1')).toEqual(['length']);
    expect(reasons('abcdefgh')).toEqual(['characters']);
    expect(reasons('abc')).toEqual(['length', 'characters']);
  });

  it('refuses passwords longer than bcrypt reads as validation_failed', () => {
    expect(reasons(`A1${'a'.repeat(71)}`)).toEqual(['validation_failed']);
  });
});

describe('signing key', () => {
  it('is generated once per data directory (mode 0600) and read back the same', async () => {
    const path = join(dir, 'auth', 'signing_keys.json');
    const first = await loadOrCreateSigningKey(path);
    const second = await loadOrCreateSigningKey(path);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
