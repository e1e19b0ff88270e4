// `node scripts/check-rollbacks.ts <database_url>` (or DATABASE_URL): checks on an EMPTY database that every migration's
// rollback undoes exactly that migration, then leaves the database migrated. See supabase/rollbacks/README.md.
import { checkRollbacks } from '../tests/support/rollbacks.ts';

const databaseUrl = process.argv[2] ?? process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'usage: node scripts/check-rollbacks.ts <database_url>   (an empty database: it is migrated)',
  );
  process.exit(2);
}

try {
  await checkRollbacks(databaseUrl, { log: (line) => console.log(line) });
  console.log('ok: every rollback restores the schema it started from');
} catch (error) {
  console.error(`check-rollbacks: ${(error as Error).message}`);
  process.exit(1);
}
