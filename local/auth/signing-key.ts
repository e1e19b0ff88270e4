import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** An ES256 key pair in the JSON Web Key form `supabase gen signing-key --algorithm ES256` prints. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as GoTrue publishes it at /auth/v1/.well-known/jwks.json. */
  publicJwk: JWK;
}

/** A new ES256 signing key as a private JWK (kty, kid, use, key_ops, alg, ext, d, crv, x, y). */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  return {
    kty,
    kid: randomUUID(),
    use: 'sig',
    key_ops: ['sign', 'verify'],
    alg: 'ES256',
    ext: true,
    d,
    crv,
    x,
    y,
  };
}

/** Imports a private ES256 JWK. */
export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) {
    throw new Error('The Auth stand-in signs with an ES256 key: a P-256 private JWK with a kid');
  }
  const { kty, kid, crv, x, y, d } = jwk;
  // Only the private parts: the file's key_ops also names `verify`, which a private key cannot be used for.
  const privateKey = (await importJWK({ kty, crv, x, y, d }, 'ES256')) as CryptoKey;
  return {
    kid,
    privateKey,
    publicJwk: { kty, kid, use: 'sig', key_ops: ['verify'], alg: 'ES256', ext: true, crv, x, y },
  };
}

/**
 * The signing key kept in `path` (a JSON array of private JWKs, the `signing_keys.json` format of the Supabase
 * CLI; the first signs): read when the file exists, else generated and written (mode 0600) so tokens stay
 * valid across restarts of the same data directory.
 */
export async function loadOrCreateSigningKey(path: string): Promise<SigningKey> {
  if (existsSync(path)) {
    const keys = JSON.parse(await readFile(path, 'utf8')) as JWK[];
    const first = Array.isArray(keys) ? keys[0] : undefined;
    if (!first) throw new Error(`${path} holds no signing key`);
    return signingKeyFromJwk(first);
  }
  const jwk = await generateSigningJwk();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify([jwk], null, 2)}\n`, { mode: 0o600 });
  return signingKeyFromJwk(jwk);
}
