import { supabaseCli } from './migrate.ts';

/** The database types for TypeScript as `supabase gen types` prints them for the public schema. */
export async function generateTypes(databaseUrl: string): Promise<string> {
  const output = await supabaseCli([
    'gen',
    'types',
    'typescript',
    `--remote=${databaseUrl}`,
    '--schema',
    'public',
  ]);
  // The CLI may print notices before the generated source; keep the source only.
  const start = output.indexOf('export type Json');
  if (start < 0) throw new Error(`supabase gen types printed no types:\n${output}`);
  return output.slice(start);
}
