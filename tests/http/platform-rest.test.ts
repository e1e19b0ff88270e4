import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let owner: { client: SupabaseClient; id: string };
let other: { client: SupabaseClient; id: string };

async function signedUp(): Promise<{ client: SupabaseClient; id: string }> {
  const client = createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { data, error } = await client.auth.signUp({
    email: `rest-${randomUUID()}@example.test`,
    password: 'rest password',
  });
  if (error || !data.user) throw error ?? new Error('no user');
  return { client, id: data.user.id };
}

beforeAll(async () => {
  stack = await startTestStack();
  [owner, other] = await Promise.all([signedUp(), signedUp()]);
  const rows = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((title, index) => ({
    user_id: owner.id,
    title,
    content: `Document number ${index}`,
    metadata: { rank: index },
  }));
  const { error } = await owner.client.from('documents').insert(rows);
  if (error) throw error;
});
afterAll(() => stack.stop());

describe('REST stand-in at /rest/v1 with supabase-js .from()', () => {
  it('reads columns with aliases, filters, order, limit/offset and an exact count', async () => {
    const { data, error, count, status } = await owner.client
      .from('documents')
      .select('name:title, content', { count: 'exact' })
      .neq('title', 'gamma')
      .order('title', { ascending: false })
      .range(1, 2);
    expect(error).toBeNull();
    expect(status).toBe(206);
    expect(count).toBe(4);
    expect(data).toEqual([
      { name: 'delta', content: 'Document number 3' },
      { name: 'beta', content: 'Document number 1' },
    ]);
  });

  it.each([
    ['eq', (q: Q) => q.eq('title', 'beta'), ['beta']],
    ['gt', (q: Q) => q.gt('title', 'delta'), ['epsilon', 'gamma']],
    ['gte', (q: Q) => q.gte('title', 'delta'), ['delta', 'epsilon', 'gamma']],
    ['lt', (q: Q) => q.lt('title', 'beta'), ['alpha']],
    ['lte', (q: Q) => q.lte('title', 'beta'), ['alpha', 'beta']],
    ['like', (q: Q) => q.like('title', '%lt%'), ['delta']],
    ['ilike', (q: Q) => q.ilike('title', 'AL%'), ['alpha']],
    ['in', (q: Q) => q.in('title', ['alpha', 'gamma', 'zeta']), ['alpha', 'gamma']],
    ['is', (q: Q) => q.is('routed_to', null).eq('title', 'beta'), ['beta']],
    ['not', (q: Q) => q.not('title', 'in', '(alpha,beta,gamma)'), ['delta', 'epsilon']],
    ['or', (q: Q) => q.or('title.eq.alpha,and(title.gt.d,title.lt.e)'), ['alpha', 'delta']],
  ])('filters with %s', async (_name, apply, titles) => {
    const { data, error } = await apply(owner.client.from('documents').select('title')).order('title');
    expect(error).toBeNull();
    expect((data as { title: string }[] | null)?.map((row) => row.title)).toEqual(titles);
  });

  it('counts with head: true and embeds a count of related rows', async () => {
    const head = await owner.client.from('documents').select('*', { count: 'exact', head: true });
    expect(head).toMatchObject({ error: null, count: 5, data: null });
    const { data, error } = await owner.client
      .from('documents')
      .select('title, classification_results(count)')
      .eq('title', 'alpha')
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ title: 'alpha', classification_results: [{ count: 0 }] });
  });

  it('inserts, updates, upserts and deletes with return=representation', async () => {
    const inserted = await owner.client
      .from('documents')
      .insert({ user_id: owner.id, title: 'draft', content: 'v1' })
      .select('id, title, content')
      .single();
    expect(inserted.error).toBeNull();
    const id = inserted.data?.id as string;

    const updated = await owner.client
      .from('documents')
      .update({ content: 'v2' })
      .eq('id', id)
      .select('content');
    expect(updated).toMatchObject({ error: null, data: [{ content: 'v2' }] });

    const upserted = await owner.client
      .from('documents')
      .upsert({ id, user_id: owner.id, content: 'v3' }, { onConflict: 'id' })
      .select('title, content');
    expect(upserted).toMatchObject({ error: null, data: [{ title: 'draft', content: 'v3' }] });
    const ignored = await owner.client
      .from('documents')
      .upsert({ id, user_id: owner.id, content: 'v4' }, { onConflict: 'id', ignoreDuplicates: true })
      .select();
    expect(ignored).toMatchObject({ error: null, data: [] });

    const deleted = await owner.client.from('documents').delete().eq('id', id).select('id');
    expect(deleted).toMatchObject({ error: null, data: [{ id }] });
    const gone = await owner.client.from('documents').select('id').eq('id', id);
    expect(gone.data).toEqual([]);
  });

  it('keeps one user’s rows from another: RLS decides reads and writes', async () => {
    const seen = await other.client.from('documents').select('id');
    expect(seen).toMatchObject({ error: null, data: [] });
    const changed = await other.client
      .from('documents')
      .update({ title: 'mine now' })
      .eq('user_id', owner.id)
      .select();
    expect(changed).toMatchObject({ error: null, data: [] });
    const removed = await other.client.from('documents').delete().eq('user_id', owner.id).select();
    expect(removed).toMatchObject({ error: null, data: [] });
    const forged = await other.client.from('documents').insert({ user_id: owner.id, content: 'forged' });
    expect(forged.error).toMatchObject({ code: '42501' });
    expect(forged.status).toBe(403);
    const anon = createClient(stack.url, stack.anonKey, { auth: { persistSession: false } });
    const anonRead = await anon.from('documents').select('id');
    expect(anonRead.status).toBe(401);
    expect(anonRead.error).toMatchObject({ code: '42501', message: 'permission denied for table documents' });
    const count = await owner.client.from('documents').select('id', { count: 'exact', head: true });
    expect(count.count).toBe(5);
  });

  it('calls exposed functions through rpc, with EXECUTE grants deciding', async () => {
    const { data, error } = await owner.client.rpc('ai_latency_bucket', { latency_ms: 1000 });
    expect(error).toBeNull();
    expect(data).toBe(39);
    const anon = createClient(stack.url, stack.anonKey, { auth: { persistSession: false } });
    const denied = await anon.rpc('ai_latency_bucket', { latency_ms: 1000 });
    expect(denied.error).toMatchObject({ code: '42501' });
    const missing = await owner.client.rpc('no_such_function', {});
    expect(missing.error).toMatchObject({ code: 'PGRST202' });
    expect(missing.status).toBe(404);
  });

  it('answers PostgREST errors for bad input, never a 500', async () => {
    const cases: [PromiseLike<{ status: number; error: unknown }>, number, string][] = [
      [owner.client.from('no_such_table').select(), 404, 'PGRST205'],
      [owner.client.from('documents').select('no_such_column'), 400, '42703'],
      [owner.client.from('documents').select().eq('id', 'not-a-uuid'), 400, '22P02'],
      [owner.client.from('documents').select().filter('title', 'nope', 'x'), 400, 'PGRST100'],
      [owner.client.from('documents').select().textSearch('content', 'renewal'), 400, 'LOCAL_UNSUPPORTED'],
      [owner.client.from('documents').select('title, meetings(title)'), 400, 'LOCAL_UNSUPPORTED'],
      [owner.client.from('documents').select().single(), 406, 'PGRST116'],
      [owner.client.from('documents').insert({ user_id: owner.id, nope: 1 }), 400, 'PGRST204'],
      [owner.client.from('documents').insert({ user_id: owner.id }), 400, '23502'],
      [owner.client.schema('auth').from('users').select(), 406, 'PGRST106'],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect({ status: response.status, code: (response.error as { code?: string })?.code }).toEqual({
        status,
        code,
      });
    }
    const response = await fetch(`${stack.url}/rest/v1/documents`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'PGRST102', details: null, hint: null });
  });
});

describe('REST stand-in on hostile input', () => {
  const piece = fc.oneof(
    fc.constantFrom(
      'select',
      'order',
      'or',
      'and',
      'not.or',
      'limit',
      'offset',
      'title',
      'id',
      'user_id',
      'metadata',
      'nope',
      'eq.',
      'in.(',
      '"',
      ')',
      '(',
      ',',
      '.',
      'not.',
      'is.',
      'like.*',
      ':',
      '::text',
      '->',
      "'; drop table documents; --",
      'classification_results(count)',
      '*',
      'asc',
      'nullsfirst',
      '\\',
      '%00',
      'ilike.',
      'gt.',
      'and(',
      'count()',
    ),
    fc.string({ maxLength: 12 }),
  );
  const text = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));

  it('answers every random query, header and body with a 2xx or 4xx, never a 500', async () => {
    const token = (await owner.client.auth.getSession()).data.session?.access_token ?? '';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text), { maxLength: 4 }),
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        fc.option(text),
        fc.option(text),
        async (params, method, body, range) => {
          const url = new URL(`${stack.url}/rest/v1/documents`);
          for (const [key, value] of params) url.searchParams.append(key, value);
          const headers: Record<string, string> = { apikey: stack.anonKey, Authorization: `Bearer ${token}` };
          if (range !== null) headers.Range = range;
          const response = await fetch(url, {
            method,
            headers,
            body: method === 'GET' ? undefined : (body ?? '{}'),
          });
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});

type Q = ReturnType<ReturnType<SupabaseClient['from']>['select']>;
