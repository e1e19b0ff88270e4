import { createServer, type Server } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_JWT_SECRET, signToken } from '../../local/keys.ts';
import { createVerifier, InvalidTokenError } from '../../shared/auth/verifier.ts';
import { listenOnFreePort } from '../support/ports.ts';

const userId = '11111111-1111-4111-8111-111111111111';

describe('token verifier with the legacy HS256 secret', () => {
  const verifier = createVerifier({ jwtSecret: LOCAL_JWT_SECRET });

  it('accepts a user token and returns its claims', async () => {
    const claims = await verifier.verify(await signToken({ sub: userId }));
    expect(claims).toMatchObject({ role: 'authenticated', sub: userId });
  });

  it('rejects an expired token', async () => {
    const token = await signToken({ sub: userId, expiresInSeconds: -60 });
    await expect(verifier.verify(token)).rejects.toThrow('token expired');
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signToken({ sub: userId, secret: 'another-secret-that-is-at-least-32-characters' });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects malformed tokens', async () => {
    await expect(verifier.verify('not-a-jwt')).rejects.toThrow('malformed token');
    await expect(verifier.verify('a.b.c')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token without a known role', async () => {
    const token = await new SignJWT({ role: 'postgres', sub: userId })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    await expect(verifier.verify(token)).rejects.toThrow('lacks a valid role');
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ role: 'service_role' })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow('unsupported signing algorithm');
  });
});

describe('token verifier with asymmetric signing keys (JWKS)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    jwksUrl = `http://127.0.0.1:${await listenOnFreePort(server)}/auth/v1/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (key: CryptoKey) =>
    new SignJWT({ role: 'authenticated', sub: userId, aud: 'authenticated' })
      .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
      .setExpirationTime('1h')
      .sign(key);

  it('accepts an ES256 token whose key is in the project JWKS', async () => {
    const verifier = createVerifier({ jwksUrl });
    expect((await verifier.verify(await sign(privateKey))).sub).toBe(userId);
  });

  it('rejects an ES256 token signed by a key not in the JWKS', async () => {
    const verifier = createVerifier({ jwksUrl });
    await expect(verifier.verify(await sign(otherKey))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('accepts both kinds when both the secret and a key set are configured', async () => {
    const jwks = { keys: [{ ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'x' }] };
    const verifier = createVerifier({
      jwtSecret: LOCAL_JWT_SECRET,
      keySet: createLocalJWKSet(jwks),
      jwksUrl,
    });
    expect((await verifier.verify(await signToken({ sub: userId }))).role).toBe('authenticated');
  });
});

describe('user tokens carry what Supabase Auth issues', () => {
  const secret = new TextEncoder().encode(LOCAL_JWT_SECRET);
  const hs256 = (claims: Record<string, unknown>, expires = true) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
    return (expires ? jwt.setExpirationTime('1h') : jwt).sign(secret);
  };
  const verifier = createVerifier({ jwtSecret: LOCAL_JWT_SECRET });

  it('refuses a correctly signed user token without exp', async () => {
    const token = await hs256({ role: 'authenticated', sub: userId, aud: 'authenticated' }, false);
    await expect(verifier.verify(token)).rejects.toThrow('a user token must expire (exp)');
  });

  it('refuses a user token whose audience is not authenticated, or missing', async () => {
    for (const aud of ['anon', ['other'], undefined]) {
      const token = await hs256({ role: 'authenticated', sub: userId, ...(aud ? { aud } : {}) });
      await expect(verifier.verify(token)).rejects.toThrow('audience "authenticated"');
    }
    const listed = await hs256({ role: 'authenticated', sub: userId, aud: ['x', 'authenticated'] });
    expect((await verifier.verify(listed)).sub).toBe(userId);
  });

  it('checks the issuer of user tokens only when one is configured', async () => {
    const strict = createVerifier({ jwtSecret: LOCAL_JWT_SECRET, issuer: 'https://ref.supabase.co/auth/v1' });
    const claims = { role: 'authenticated', sub: userId, aud: 'authenticated' };
    const foreign = await hs256({ ...claims, iss: 'https://evil.example/auth/v1' });
    await expect(strict.verify(foreign)).rejects.toThrow('not issued by this project');
    const own = await hs256({ ...claims, iss: 'https://ref.supabase.co/auth/v1' });
    expect((await strict.verify(own)).sub).toBe(userId);
    expect((await verifier.verify(foreign)).sub).toBe(userId);
  });

  it('keeps accepting API keys as Supabase issues them (no aud; service keys with exp)', async () => {
    const strict = createVerifier({ jwtSecret: LOCAL_JWT_SECRET, issuer: 'https://ref.supabase.co/auth/v1' });
    for (const role of ['anon', 'service_role']) {
      const key = await hs256({ iss: 'supabase', ref: 'ref', role });
      expect((await strict.verify(key)).role).toBe(role);
      expect((await strict.verify(await signToken({ role: role as 'anon' }))).role).toBe(role);
    }
  });

  it("accepts the local stack's own user tokens", async () => {
    expect((await verifier.verify(await signToken({ sub: userId }))).sub).toBe(userId);
  });
});

describe('token verifier cache', () => {
  /** A key set that counts how often a signature was checked against it. */
  async function countingKeySet() {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwks = createLocalJWKSet({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256', use: 'sig' }],
    });
    const counted = { checks: 0 };
    const keySet: Parameters<typeof createVerifier>[0]['keySet'] = (header, token) => {
      counted.checks++;
      return jwks(header, token);
    };
    const sign = (claims: Record<string, unknown>, expiresIn: string | number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setExpirationTime(expiresIn)
        .sign(pair.privateKey);
    return { keySet, counted, sign };
  }

  it('checks a token once and serves its claims from memory after', async () => {
    const { keySet, counted, sign } = await countingKeySet();
    const verifier = createVerifier({ keySet });
    const token = await sign({ role: 'authenticated', sub: userId, aud: 'authenticated' }, '1h');
    for (let i = 0; i < 5; i++) expect(await verifier.verify(token)).toMatchObject({ sub: userId });
    expect(counted.checks).toBe(1);
    // A different token (here: the same claims, the signature's last character changed) is checked on its own.
    const forged = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(counted.checks).toBe(2);
  });

  it('never serves a token past its expiry, nor any for more than a minute', async () => {
    const { keySet, counted, sign } = await countingKeySet();
    const verifier = createVerifier({ keySet });
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await sign({ role: 'authenticated', sub: userId, aud: 'authenticated' }, now + 30);
    const longLived = await sign({ role: 'authenticated', sub: userId, aud: 'authenticated' }, '1h');
    await verifier.verify(shortLived);
    await verifier.verify(longLived);
    vi.useFakeTimers({ now: Date.now() + 31_000, toFake: ['Date'] });
    try {
      await expect(verifier.verify(shortLived)).rejects.toThrow('token expired');
      await verifier.verify(longLived);
      expect(counted.checks).toBe(3);
      vi.setSystemTime(Date.now() + 30_000);
      await verifier.verify(longLived);
      expect(counted.checks).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
