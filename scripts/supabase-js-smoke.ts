// The local stack seen only through supabase-js, as a frontend sees it: sign up, sign in, insert a document with
// .from('documents'), classify it with functions.invoke('classification/enhanced'), read the stored result with
// .from('classification_results'); a second user sees none of it.
// `npm run smoke` (SUPABASE_URL, SUPABASE_ANON_KEY; defaults: the local stack and its anon key).
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

/** The anon key of Supabase's local development stack (the demo JWT secret `npm start` uses by default). */
const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

export interface SmokeResult {
  userId: string;
  documentId: string;
  category: string;
  confidence: number;
  /** What the second user could see of the first user's document and result (both must be 0). */
  otherUserSees: { documents: number; results: number };
}

function check<T>(step: string, answer: { data: T; error: unknown }): NonNullable<T> {
  if (answer.error || answer.data === null || answer.data === undefined) {
    throw new Error(`${step} failed: ${JSON.stringify(answer.error ?? 'no data')}`);
  }
  return answer.data as NonNullable<T>;
}

function client(url: string, anonKey: string): SupabaseClient {
  return createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

/** Runs the whole journey against `url`; throws, naming the step, when any step fails. */
export async function runSmoke(url: string, anonKey: string): Promise<SmokeResult> {
  const email = `smoke-${randomUUID()}@example.test`;
  const password = `smoke-${randomUUID()}`;
  check('sign up', await client(url, anonKey).auth.signUp({ email, password }));

  const supabase = client(url, anonKey);
  const signIn = await supabase.auth.signInWithPassword({ email, password });
  const user = signIn.data.user;
  if (signIn.error || !user) throw new Error(`sign in failed: ${JSON.stringify(signIn.error)}`);

  const document = check(
    'insert the document',
    await supabase
      .from('documents')
      .insert({
        user_id: user.id,
        title: 'Invoice charged twice',
        content: 'Our October invoice was charged twice. Please refund the duplicate charge.',
      })
      .select('id')
      .single(),
  );

  const classified = check(
    'classify with functions.invoke',
    await supabase.functions.invoke('classification/enhanced', {
      body: {
        documentId: document.id,
        categories: [
          { name: 'billing', keywords: ['invoice', 'refund', 'charge'] },
          { name: 'sales', keywords: ['renewal', 'quote', 'discount'] },
        ],
      },
    }),
  ) as { id: string };

  const result = check(
    'read the result with .from()',
    await supabase
      .from('classification_results')
      .select('id, document_id, status, category, confidence')
      .eq('id', classified.id)
      .single(),
  );
  if (result.document_id !== document.id || result.status !== 'completed' || !result.category) {
    throw new Error(`unexpected result row: ${JSON.stringify(result)}`);
  }

  const other = client(url, anonKey);
  check(
    'sign up a second user',
    await other.auth.signUp({
      email: `smoke-${randomUUID()}@example.test`,
      password: `smoke-${randomUUID()}`,
    }),
  );
  const theirDocuments = check(
    'second user reads documents',
    await other.from('documents').select('id').eq('id', document.id),
  );
  const theirResults = check(
    'second user reads results',
    await other.from('classification_results').select('id').eq('document_id', document.id),
  );
  return {
    userId: user.id,
    documentId: document.id,
    category: result.category,
    confidence: result.confidence,
    otherUserSees: { documents: theirDocuments.length, results: theirResults.length },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321';
  try {
    const result = await runSmoke(url, process.env.SUPABASE_ANON_KEY ?? LOCAL_ANON_KEY);
    console.log(JSON.stringify(result, null, 2));
    const isolated = result.otherUserSees.documents === 0 && result.otherUserSees.results === 0;
    if (!isolated) console.error('The second user saw the first user’s rows');
    process.exit(isolated ? 0 : 1);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
