import { z } from 'zod';

/** The claims the backend relies on in a Supabase access token or API key. */
export const ClaimsSchema = z
  .object({
    role: z.enum(['anon', 'authenticated', 'service_role']),
    sub: z.string().uuid().optional(),
    email: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    exp: z.number().optional(),
    iss: z.string().optional(),
    is_anonymous: z.boolean().optional(),
  })
  .passthrough();
export type Claims = z.infer<typeof ClaimsSchema>;

/** A signed-in user: role authenticated and a user id taken from the verified token's `sub`. */
export interface UserClaims extends Claims {
  role: 'authenticated';
  sub: string;
}

/**
 * The claims of background work done for one user (a job's payload names them): the work runs with the
 * service's connection but as that user, so Row Level Security keeps it to their rows.
 */
export function userClaims(userId: string): UserClaims {
  return { role: 'authenticated', sub: userId, aud: 'authenticated' };
}

/** True when the claims belong to a signed-in (non-anonymous) user. */
export function isUser(claims: Claims): claims is UserClaims {
  return claims.role === 'authenticated' && typeof claims.sub === 'string' && claims.is_anonymous !== true;
}
