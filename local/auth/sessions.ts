import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inPoolTransaction } from '../../shared/db/database.ts';
import { AuthError } from './errors.ts';

/** A new opaque refresh token (GoTrue's version-1 tokens are random strings too). */
function newRefreshToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What auth.refresh_tokens keeps of a token: its SHA-256, so a leaked table grants no session. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedSession {
  sessionId: string;
  refreshToken: string;
}

/** Starts a session for a user who just proved who they are, with its first refresh token. */
export async function startSession(
  pool: pg.Pool,
  userId: string,
  client: { userAgent?: string; ip?: string },
): Promise<IssuedSession> {
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken();
  await inPoolTransaction(pool, async (tx) => {
    await tx.query(
      `insert into auth.sessions (id, user_id, user_agent, ip, refreshed_at)
       values ($1, $2, $3, $4, now() at time zone 'utc')`,
      [sessionId, userId, client.userAgent ?? null, client.ip ?? null],
    );
    await tx.query(`insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2::text, $3)`, [
      tokenHash(refreshToken),
      userId,
      sessionId,
    ]);
    await tx.query(`update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1`, [
      userId,
    ]);
  });
  return { sessionId, refreshToken };
}

export interface RotationPolicy {
  rotation: boolean;
  reuseIntervalSeconds: number;
}

/**
 * GoTrue's refresh-token grant: the token is revoked and a child issued in its place. A revoked token presented
 * again within the reuse interval (two tabs refreshing at once) gets a new child too; later, it is treated as
 * stolen: every token of its session is revoked and the answer is `refresh_token_already_used`.
 */
export async function rotateRefreshToken(
  pool: pg.Pool,
  token: string,
  policy: RotationPolicy,
): Promise<IssuedSession & { userId: string }> {
  const outcome = await inPoolTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      user_id: string;
      revoked: boolean;
      session_id: string;
      reusable: boolean;
    }>(
      `select t.id, s.user_id, t.revoked, t.session_id,
              t.updated_at > now() - make_interval(secs => $2) as reusable
       from auth.refresh_tokens t join auth.sessions s on s.id = t.session_id
       where t.token = $1
       for update of t`,
      [tokenHash(token), policy.reuseIntervalSeconds],
    );
    const current = rows[0];
    if (!current) {
      return new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    }
    if (current.revoked && !current.reusable) {
      if (policy.rotation) {
        await tx.query(
          `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1`,
          [current.session_id],
        );
      }
      // Committed on purpose: the family stays revoked although the request fails.
      return new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    }
    const refreshToken = newRefreshToken();
    await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [
      current.id,
    ]);
    await tx.query(
      `insert into auth.refresh_tokens (token, user_id, session_id, parent)
       select $1, $2::text, $3, token from auth.refresh_tokens where id = $4`,
      [tokenHash(refreshToken), current.user_id, current.session_id, current.id],
    );
    await tx.query(
      `update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1`,
      [current.session_id],
    );
    return { sessionId: current.session_id, refreshToken, userId: current.user_id };
  });
  if (outcome instanceof AuthError) throw outcome;
  return outcome;
}

/** True when the session exists (a signed-out session's tokens are no longer accepted by /user). */
export async function sessionExists(pool: pg.Pool, sessionId: string): Promise<boolean> {
  const { rows } = await pool.query(`select 1 from auth.sessions where id = $1`, [sessionId]);
  return rows.length > 0;
}

/** GoTrue's logout scopes: `global` ends every session of the user, `local` this one, `others` all but this. */
export async function endSessions(
  pool: pg.Pool,
  userId: string,
  sessionId: string | undefined,
  scope: 'global' | 'local' | 'others',
): Promise<void> {
  if (scope === 'local' && sessionId) {
    await pool.query(`delete from auth.sessions where id = $1`, [sessionId]);
  } else if (scope === 'others' && sessionId) {
    await pool.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [userId, sessionId]);
  } else {
    await pool.query(`delete from auth.sessions where user_id = $1`, [userId]);
  }
}
