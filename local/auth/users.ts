import type pg from 'pg';

/** A row of auth.users as the stand-in reads it. */
export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  phone: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  is_anonymous: boolean;
  banned_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS = `id, aud, role, email, phone, email_confirmed_at, last_sign_in_at, raw_app_meta_data,
  raw_user_meta_data, is_anonymous, banned_until, created_at, updated_at`;

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);

/**
 * The user object GoTrue answers (models.User's JSON). The stand-in has no auth.identities table: the email
 * identity every email user has is derived from the user row.
 */
export function userJson(row: UserRow): Record<string, unknown> {
  const identities = row.email
    ? [
        {
          identity_id: row.id,
          id: row.id,
          user_id: row.id,
          identity_data: {
            email: row.email,
            email_verified: row.email_confirmed_at !== null,
            phone_verified: false,
            sub: row.id,
          },
          provider: 'email',
          last_sign_in_at: iso(row.last_sign_in_at ?? row.created_at),
          created_at: iso(row.created_at),
          updated_at: iso(row.updated_at),
          email: row.email,
        },
      ]
    : [];
  return {
    id: row.id,
    aud: row.aud,
    role: row.role,
    email: row.email ?? '',
    email_confirmed_at: iso(row.email_confirmed_at),
    phone: row.phone ?? '',
    confirmed_at: iso(row.email_confirmed_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    is_anonymous: row.is_anonymous,
  };
}

/** Creates a confirmed email user (the stand-in autoconfirms, as `enable_confirmations = false` does). */
export async function insertUser(
  db: pg.Pool | pg.PoolClient,
  input: { email: string; password: string; data: Record<string, unknown> },
): Promise<UserRow | undefined> {
  // bcrypt as GoTrue (cost 10, bcrypt.DefaultCost) through pgcrypto; GoTrue reads these $2a$ hashes too.
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
       extensions.crypt($2, extensions.gen_salt('bf', 10)), now(),
       '{"provider": "email", "providers": ["email"]}', $3)
     on conflict (email) do nothing
     returning ${USER_COLUMNS}`,
    [input.email, input.password, JSON.stringify(input.data)],
  );
  return rows[0];
}

/** The user with this email and password, or undefined (unknown email, no password, or a wrong one). */
export async function userByPassword(
  db: pg.Pool,
  email: string,
  password: string,
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users
     where email = $1 and encrypted_password is not null and deleted_at is null
       and encrypted_password = extensions.crypt($2, encrypted_password)`,
    [email, password],
  );
  return rows[0];
}

/** The user by id (undefined when deleted). */
export async function userById(db: pg.Pool | pg.PoolClient, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`,
    [id],
  );
  return rows[0];
}
