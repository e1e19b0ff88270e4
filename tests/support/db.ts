import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Superuser URL of a database on the test cluster. */
export function testDatabaseUrl(name: string): string {
  const admin = process.env.TEST_ADMIN_URL;
  if (!admin)
    throw new Error('TEST_ADMIN_URL is not set: run the tests with `npm test` (vitest global setup)');
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Runs `fn` with a client connected to `url` as the database owner (bypasses RLS: for setup and inspection). */
export async function asOwner<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const admin = <T>(fn: (client: pg.Client) => Promise<T>) => asOwner(testDatabaseUrl('postgres'), fn);

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(
  template = process.env.TEST_TEMPLATE_DB ?? 'ai_template',
): Promise<TestDatabase> {
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  // Cloning fails while another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((client) => client.query(`create database ${name} template ${template}`));
      break;
    } catch (error) {
      if (attempt > 50 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    name,
    url: testDatabaseUrl(name),
    drop: () =>
      admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/** Inserts a user into auth.users, as Supabase Auth would on sign-up. */
export async function createUser(url: string, id = randomUUID()): Promise<string> {
  await asOwner(url, (client) =>
    client.query(
      `insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')`,
      [id, `${id}@example.test`],
    ),
  );
  return id;
}
